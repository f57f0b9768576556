// Connecting over SSH to a real sshd: key types, passphrases, passwords, ssh-agent, ssh_config
// aliases and -F, OpenSSH options, and host key checking (unknown, changed, hashed, revoked, accept-new).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureUser, removeUser } from '../support/sshd';
import { ansibleAvailable, ensureRootAlias, recap, ROOT_USER, SshWorld } from './lib';

const ADDR = '127.0.1.11';
const PORT = 2211;
const PW_USER = 'tsible-ssh-pwuser';
const PASSWORD = 'Pw-for-tsible-9f3c';
const PASSPHRASE = 'Phrase-for-tsible-4b1d';

let w: SshWorld;
let keys: Record<string, string>;

const PLAY = `- hosts: all\n  gather_facts: no\n  tasks:\n    - command: id -u\n      register: r\n    - assert: {that: [r.stdout | int == expected_uid | int]}\n`;

beforeAll(async () => {
  ensureRootAlias();
  w = new SshWorld('connect');
  keys = {
    ed25519: w.key('id_ed25519', 'ed25519'),
    rsa: w.key('id_rsa', 'rsa'),
    ecdsa: w.key('id_ecdsa', 'ecdsa'),
    pass: w.key('id_pass', 'ed25519', PASSPHRASE),
    agent: w.key('id_agent', 'ed25519'),
  };
  const { uid } = ensureUser(PW_USER, PASSWORD);
  w.write('pwuser.uid', String(uid));
  w.authorize(ROOT_USER, Object.values(keys));
  await w.sshd([{ address: ADDR, port: PORT }]);
  w.write('playbook.yml', PLAY);
});

afterAll(async () => {
  await w?.close();
  removeUser(PW_USER);
});

beforeEach(() => {
  w.trustAll();
  fs.rmSync(path.join(w.home, '.ssh', 'config'), { force: true });
});

const base = `ansible_host=${ADDR} ansible_port=${PORT} ansible_user=${ROOT_USER} expected_uid=0`;

test('key authentication with RSA, ECDSA and Ed25519 keys', () => {
  w.write('inv-keys', ['rsa', 'ecdsa', 'ed25519'].map((t) => `k-${t} ${base} ansible_ssh_private_key_file=${keys[t]}`).join('\n') + '\n');
  const r = w.tsible(['-i', 'inv-keys', 'playbook.yml']);
  expect(r.code).toBe(0);
  expect(recap(r.stdout)).toEqual({
    'k-ecdsa': expect.objectContaining({ ok: 2, failed: 0, unreachable: 0 }),
    'k-ed25519': expect.objectContaining({ ok: 2, failed: 0, unreachable: 0 }),
    'k-rsa': expect.objectContaining({ ok: 2, failed: 0, unreachable: 0 }),
  });
});

test('a key with a passphrase: opened with its passphrase, refused without', () => {
  w.write(
    'inv-pass',
    [
      `with-phrase ${base} ansible_ssh_private_key_file=${keys.pass} ansible_ssh_private_key_passphrase=${PASSPHRASE}`,
      `with-password ${base} ansible_ssh_private_key_file=${keys.pass} ansible_password=${PASSPHRASE}`,
      `without ${base} ansible_ssh_private_key_file=${keys.pass}`,
    ].join('\n') + '\n',
  );
  const r = w.tsible(['-i', 'inv-pass', 'playbook.yml']);
  expect(r.code).toBe(4);
  const rc = recap(r.stdout);
  expect(rc['with-phrase']).toEqual(expect.objectContaining({ ok: 2, unreachable: 0 }));
  expect(rc['with-password']).toEqual(expect.objectContaining({ ok: 2, unreachable: 0 }));
  expect(rc.without).toEqual(expect.objectContaining({ ok: 0, unreachable: 1 }));
  expect(r.stdout).toContain(`fatal: [without]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ${ROOT_USER}@${ADDR}: Permission denied (publickey,password).", "unreachable": true}`);
});

test('password authentication', () => {
  const uid = fs.readFileSync(path.join(w.dir, 'pwuser.uid'), 'utf8');
  w.write('inv-pw', `pw ansible_host=${ADDR} ansible_port=${PORT} ansible_user=${PW_USER} ansible_password=${PASSWORD} expected_uid=${uid}\n`);
  const r = w.tsible(['-i', 'inv-pw', 'playbook.yml']);
  expect(r.stdout).toContain('ok: [pw]');
  expect(r.code).toBe(0);
  w.write('inv-badpw', `pw ansible_host=${ADDR} ansible_port=${PORT} ansible_user=${PW_USER} ansible_password=wrong expected_uid=${uid}\n`);
  const bad = w.tsible(['-i', 'inv-badpw', 'playbook.yml']);
  expect(bad.code).toBe(4);
  expect(bad.stdout).toContain(`${PW_USER}@${ADDR}: Permission denied`);
});

test('ssh-agent: keys offered by a running agent (SSH_AUTH_SOCK)', () => {
  const sock = path.join(w.dir, 'agent.sock');
  const out = execFileSync('ssh-agent', ['-a', sock, '-s'], { encoding: 'utf8' });
  const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)?.[1]);
  try {
    execFileSync('ssh-add', ['-q', keys.agent as string], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    w.write('inv-agent', `agent ${base}\n`);
    const r = w.tsible(['-i', 'inv-agent', 'playbook.yml'], { SSH_AUTH_SOCK: sock });
    expect(r.stdout).toContain('ok: [agent]');
    expect(r.code).toBe(0);
    const without = w.tsible(['-i', 'inv-agent', 'playbook.yml']);
    expect(without.code).toBe(4);
  } finally {
    process.kill(pid, 'SIGTERM');
  }
});

test('~/.ssh/config Host aliases (HostName, Port, User, IdentityFile) and -F in ssh_common_args', () => {
  const cfg = `Host other\n  Port 1\nHost web-* !web-9\n  HostName ${ADDR}\n  Port ${PORT}\n  User ${ROOT_USER}\n  IdentityFile ${keys.rsa}\nHost *\n  User nobody\n`;
  fs.writeFileSync(path.join(w.home, '.ssh', 'config'), cfg);
  w.write('inv-alias', 'web-1 expected_uid=0\nweb-2 expected_uid=0\n');
  const r = w.tsible(['-i', 'inv-alias', 'playbook.yml']);
  expect(r.code).toBe(0);
  expect(Object.keys(recap(r.stdout)).sort()).toEqual(['web-1', 'web-2']);
  fs.rmSync(path.join(w.home, '.ssh', 'config'));
  // -F: the same file given on the command line; ansible-playbook (real ssh) reads it alike
  const f = w.write('alt_config', cfg);
  const known = w.write('alt_known_hosts', w.servers.map((s) => s.knownHosts()).join(''));
  w.write('inv-f', `web-3 expected_uid=0 ansible_ssh_common_args='-F ${f} -o UserKnownHostsFile=${known}'\nweb-9 expected_uid=0 ansible_ssh_common_args='-F ${f} -o UserKnownHostsFile=${known}'\n`);
  const viaF = w.tsible(['-i', 'inv-f', 'playbook.yml']);
  expect(viaF.stdout).toContain('ok: [web-3]');
  // web-9 is excluded by the negated pattern: "Host *" makes it user nobody on port 22
  expect(recap(viaF.stdout)['web-9']).toEqual(expect.objectContaining({ unreachable: 1 }));
  if (ansibleAvailable()) {
    const a = w.ansible(['-i', 'inv-f', 'playbook.yml']);
    expect({ code: a.code, recap: recap(a.stdout) }).toEqual({ code: viaF.code, recap: recap(viaF.stdout) });
  }
});

test('OpenSSH options in ssh args: honoured ones apply, the others are named in one warning each', () => {
  w.write('inv-opts', `o1 ${base} ansible_ssh_private_key_file=${keys.ed25519} ansible_ssh_extra_args='-o Ciphers=aes128-ctr -o ServerAliveInterval=5 -R 8080:localhost:80'\n`);
  const r = w.tsible(['-i', 'inv-opts', 'playbook.yml']);
  expect(r.code).toBe(0);
  const all = (r.stdout + r.stderr).replace(/\s+/g, ' ');
  expect(all).toContain("tsible does not honour the OpenSSH option 'Ciphers=aes128-ctr' (from ssh_extra_args)");
  expect(all).toContain("tsible does not honour the OpenSSH option '-R 8080:localhost:80' (from ssh_extra_args)");
  expect(all).not.toContain('ServerAliveInterval');
});

test('-vvv prints the connection lines as ansible-playbook does: ESTABLISH, SSH: EXEC with its ssh arguments, (rc, stdout, stderr)', () => {
  w.write('inv-v', `v1 ${base} ansible_ssh_private_key_file=${keys.ed25519}\n`);
  w.write('nolog.yml', `- hosts: all\n  gather_facts: no\n  tasks:\n    - command: echo very-secret-value\n      no_log: true\n`);
  // the same common args as the ansible-playbook run below gets
  const known = { ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile=${path.join(w.home, '.ssh', 'known_hosts')}` };
  const r = w.tsible(['-i', 'inv-v', 'playbook.yml', '-vvv'], known);
  expect(r.code).toBe(0);
  const at = `<${ADDR}> `;
  const ours = r.stdout.split('\n').filter((l) => l.startsWith(at));
  // every command: the three lines, in this order
  for (let i = 0; i < ours.length; i += 3) {
    expect(ours[i]).toBe(`${at}ESTABLISH SSH CONNECTION FOR USER: ${ROOT_USER}`);
    expect(ours[i + 1]).toMatch(new RegExp(`^${at.replace(/\./g, '\\.')}SSH: EXEC ssh .* ${ADDR.replace(/\./g, '\\.')} '/bin/sh -c `));
    expect(ours[i + 2]).toMatch(/^<[\d.]+> \(\d+, b(['"]).*\1, b(['"]).*\2\)$/);
  }
  expect(ours).toContain(`${at}(0, b'0\\n', b'')`);
  // no_log: Ansible's censored result line, and the command (it may carry arguments) not shown
  const n = w.tsible(['-i', 'inv-v', 'nolog.yml', '-vvv']);
  expect(n.stdout).toContain(`${at}rc=0, stdout and stderr censored due to no log`);
  expect(n.stdout).not.toContain('very-secret-value');
  if (ansibleAvailable()) {
    const a = w.ansible(['-i', 'inv-v', 'playbook.yml', '-vvv']);
    expect(a.code).toBe(0);
    const theirs = a.stdout.split('\n').filter((l) => l.startsWith(at));
    expect(theirs[0]).toBe(ours[0]);
    // ssh's arguments as Ansible passes them, up to the host (Ansible adds its ControlPath; tsible has none)
    const sshArgs = (line: string | undefined) => (line ?? '').replace(/ -o 'ControlPath="[^"]*"'/, '').split(` ${ADDR} `)[0];
    const theirExec = theirs.find((l) => l.includes('SSH: EXEC ssh '));
    expect(sshArgs(ours[1])).toBe(sshArgs(theirExec));
    expect(theirs[theirs.indexOf(theirExec as string) + 1]).toMatch(/^<[\d.]+> \(\d+, b(['"]).*\1, b(['"]).*\2\)$/);
  }
});

describe('host key checking', () => {
  const inv = () => w.write('inv-hk', `hk ${base} ansible_ssh_private_key_file=${keys.ed25519}\n`);
  const knownHosts = () => path.join(w.home, '.ssh', 'known_hosts');
  const edKey = () => (w.servers[0] as { hostKeys: Record<string, string> }).hostKeys.ed25519 as string;
  const fp = (key: string) => execFileSync('ssh-keygen', ['-lf', '-'], { input: `x ${key}\n`, encoding: 'utf8' }).split(' ')[1] as string;

  test('an unknown host key is refused by default, naming host, key type and fingerprint', () => {
    inv();
    fs.writeFileSync(knownHosts(), '');
    const r = w.tsible(['-i', 'inv-hk', 'playbook.yml']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain(`No ED25519 host key is known for [${ADDR}]:${PORT} and you have requested strict checking.`);
    expect(r.stdout).toContain(fp(edKey()));
    expect(recap(r.stdout).hk).toEqual(expect.objectContaining({ unreachable: 1 }));
    if (ansibleAvailable()) {
      // a fresh ControlPath: an earlier test's persisted master connection would skip the key check
      const a = w.ansible(['-i', 'inv-hk', 'playbook.yml'], { ANSIBLE_SSH_CONTROL_PATH_DIR: fs.mkdtempSync(path.join(w.dir, 'cp-')) });
      expect({ code: a.code, recap: recap(a.stdout) }).toEqual({ code: r.code, recap: recap(r.stdout) });
    }
    expect(fs.readFileSync(knownHosts(), 'utf8')).toBe('');
  });

  test('with host_key_checking off an unknown key is accepted (and recorded, as ssh does)', () => {
    inv();
    fs.writeFileSync(knownHosts(), '');
    const r = w.tsible(['-i', 'inv-hk', 'playbook.yml'], { ANSIBLE_HOST_KEY_CHECKING: 'False' });
    expect(r.code).toBe(0);
    // recorded as ssh records it (hashed: Debian's ssh_config says HashKnownHosts yes)
    expect(spawnSync('ssh-keygen', ['-F', `[${ADDR}]:${PORT}`, '-f', knownHosts()]).status).toBe(0);
  });

  test('StrictHostKeyChecking=accept-new records the key, hashed when HashKnownHosts is on', () => {
    const file = path.join(w.dir, 'accept_new_hosts');
    fs.rmSync(file, { force: true });
    w.write('inv-an', `an ${base} ansible_ssh_private_key_file=${keys.ed25519} ansible_ssh_common_args='-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${file} -o HashKnownHosts=yes'\n`);
    const r = w.tsible(['-i', 'inv-an', 'playbook.yml']);
    expect(r.code).toBe(0);
    const content = fs.readFileSync(file, 'utf8');
    expect(content).toMatch(/^\|1\|[^ ]+ ssh-ed25519 /);
    // ssh-keygen finds the hashed entry: it is what OpenSSH writes
    expect(spawnSync('ssh-keygen', ['-F', `[${ADDR}]:${PORT}`, '-f', file]).status).toBe(0);
    expect(w.tsible(['-i', 'inv-an', 'playbook.yml']).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
  });

  test('a changed host key is refused with both fingerprints', () => {
    inv();
    const other = w.key('other_host_key', 'ed25519');
    const otherPub = fs.readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    fs.writeFileSync(knownHosts(), `# comment\n[${ADDR}]:${PORT} ${otherPub}\n`);
    const r = w.tsible(['-i', 'inv-hk', 'playbook.yml']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
    expect(r.stdout).toContain(`ED25519 key sent by the remote host [${ADDR}]:${PORT}`);
    expect(r.stdout).toContain(fp(edKey()));
    expect(r.stdout).toContain(fp(otherPub));
    expect(r.stdout).toContain(`${knownHosts()}:2`);
  });

  test('hashed known_hosts entries are read, and @revoked keys refused', () => {
    inv();
    fs.writeFileSync(knownHosts(), (w.servers[0] as { knownHosts(): string }).knownHosts());
    execFileSync('ssh-keygen', ['-H', '-f', knownHosts()], { stdio: 'ignore' });
    expect(fs.readFileSync(knownHosts(), 'utf8')).not.toContain(ADDR);
    expect(w.tsible(['-i', 'inv-hk', 'playbook.yml']).code).toBe(0);
    fs.appendFileSync(knownHosts(), `@revoked * ${edKey()}\n`);
    const r = w.tsible(['-i', 'inv-hk', 'playbook.yml']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('is marked as revoked');
  });
});
