// become over SSH against a real sshd and sudo: with and without a password, a wrong or missing
// password (a clear failure, not a hang), become_user other than root, su, become_exe/flags, and
// secrets: never in the output at any verbosity (none to -vvvv) nor in the target's process list.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureUser, removeUser, sudoers } from '../support/sshd';
import { ansibleAvailable, ensureRootAlias, recap, ROOT_USER, SshWorld } from './lib';

const ADDR = '127.0.1.21';
const PORT = 2221;
const NOPW = 'tsible-ssh-nopw';
const WITHPW = 'tsible-ssh-withpw';
const APP = 'tsible-ssh-app';
const PASS = { [NOPW]: 'Nopw-user-pass-71ac', [WITHPW]: 'Sudo-secret-pass-e4d2', [APP]: 'App-secret-pass-93bd' } as Record<string, string>;
const KEY_PHRASE = 'Key-phrase-secret-5a0e';

let w: SshWorld;
let key: string;
let phraseKey: string;

beforeAll(async () => {
  ensureRootAlias();
  w = new SshWorld('become');
  key = w.key('id_ed25519');
  phraseKey = w.key('id_phrase', 'rsa', KEY_PHRASE);
  for (const u of [NOPW, WITHPW, APP]) ensureUser(u, PASS[u] as string);
  sudoers(NOPW, `${NOPW} ALL=(ALL) NOPASSWD: ALL`);
  sudoers(WITHPW, `Defaults:${WITHPW} !lecture\n${WITHPW} ALL=(ALL) ALL`);
  for (const u of [NOPW, WITHPW, APP, ROOT_USER]) w.authorize(u, [key, phraseKey]);
  await w.sshd([{ address: ADDR, port: PORT }]);
  w.trustAll();
  fs.mkdirSync(path.join(w.dir, 'out'), { mode: 0o777 });
  fs.chmodSync(path.join(w.dir, 'out'), 0o777);
  fs.chmodSync(w.dir, 0o755);
});

afterAll(async () => {
  await w?.close();
  for (const u of [NOPW, WITHPW, APP]) removeUser(u);
});

const host = (name: string, user: string, extra = '') =>
  `${name} ansible_host=${ADDR} ansible_port=${PORT} ansible_user=${user} ansible_ssh_private_key_file=${key} ${extra}\n`;

const PLAY = (out: string) => `- hosts: all
  gather_facts: no
  become: yes
  tasks:
    - command: id -un
      register: who
    - copy: {content: "from {{ inventory_hostname }}\\n", dest: "${out}/{{ run | default('t') }}-{{ inventory_hostname }}.txt", mode: "0644"}
    - debug: msg="{{ who.stdout }}"
`;

function owner(file: string): string {
  return execFileSync('stat', ['-c', '%U', file], { encoding: 'utf8' }).trim();
}

test('sudo without a password and with one: commands and files as root', () => {
  const out = path.join(w.dir, 'out');
  w.write('inv-sudo', host('nopw', NOPW) + host('withpw', WITHPW, `ansible_become_password=${PASS[WITHPW]}`));
  w.write('sudo.yml', PLAY(out));
  const r = w.tsible(['-i', 'inv-sudo', 'sudo.yml']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('"msg": "root"');
  expect(owner(path.join(out, 't-nopw.txt'))).toBe('root');
  expect(owner(path.join(out, 't-withpw.txt'))).toBe('root');
  expect(fs.readFileSync(path.join(out, 't-withpw.txt'), 'utf8')).toBe('from withpw\n');
});

test('a wrong sudo password fails that host at once; a missing one says so', () => {
  const out = path.join(w.dir, 'out');
  w.write('inv-bad', host('wrongpw', WITHPW, 'ansible_become_password=not-the-password') + host('nopass', WITHPW) + host('fine', NOPW));
  w.write('bad.yml', PLAY(out));
  const started = Date.now();
  const r = w.tsible(['-i', 'inv-bad', 'bad.yml']);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(r.code).toBe(2);
  expect(r.stdout).toContain('fatal: [wrongpw]: FAILED! => {"changed": false, "msg": "Incorrect sudo password"}');
  expect(r.stdout).toContain('fatal: [nopass]: FAILED! => {"changed": false, "msg": "Missing sudo password"}');
  const rc = recap(r.stdout);
  expect(rc.wrongpw).toEqual(expect.objectContaining({ failed: 1, ok: 0 }));
  expect(rc.fine).toEqual(expect.objectContaining({ failed: 0, ok: 3 }));
  if (ansibleAvailable()) {
    const a = w.ansible(['-i', 'inv-bad', 'bad.yml', '-e', 'run=a']);
    expect({ code: a.code, recap: recap(a.stdout) }).toEqual({ code: r.code, recap: rc });
  }
});

test('become_user other than root: commands run and files end up owned as that user', () => {
  const out = path.join(w.dir, 'out');
  w.write('inv-app', host('asapp', ROOT_USER, `ansible_become_user=${APP}`));
  w.write('app.yml', PLAY(out));
  const r = w.tsible(['-i', 'inv-app', 'app.yml']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`"msg": "${APP}"`);
  expect(owner(path.join(out, 't-asapp.txt'))).toBe(APP);
  // a second run changes nothing
  const again = w.tsible(['-i', 'inv-app', 'app.yml']);
  expect(recap(again.stdout).asapp).toEqual(expect.objectContaining({ changed: 1 })); // the command task only
});

test('su with the target user password, become_exe and become_flags', () => {
  const out = path.join(w.dir, 'out');
  const wrapper = w.write('bin/logging-sudo', `#!/bin/sh\necho "$@" >> ${w.dir}/out/become-args.log\nexec sudo "$@"\n`);
  fs.chmodSync(wrapper, 0o755);
  fs.chmodSync(path.dirname(wrapper), 0o755);
  w.write(
    'inv-su',
    host('viasu', NOPW, `ansible_become_method=su ansible_become_user=${APP} ansible_become_password=${PASS[APP]}`) +
      host('viaexe', NOPW, `ansible_become_exe=${wrapper} ansible_become_flags='-H -S -n --preserve-env=LANG'`),
  );
  w.write('su.yml', PLAY(out));
  const r = w.tsible(['-i', 'inv-su', 'su.yml']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`"msg": "${APP}"`);
  expect(owner(path.join(out, 't-viasu.txt'))).toBe(APP);
  expect(owner(path.join(out, 't-viaexe.txt'))).toBe('root');
  expect(fs.readFileSync(path.join(w.dir, "out", "become-args.log"), 'utf8')).toContain('-H -S -n --preserve-env=LANG -u root /bin/sh -c');
});

test('no password or private key in the output at any verbosity, nor in the process list of the target', async () => {
  const keyBody = fs
    .readFileSync(phraseKey, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'));
  w.write(
    'inv-secret',
    host('s1', WITHPW, `ansible_become_password=${PASS[WITHPW]}`).replace(`ansible_ssh_private_key_file=${key}`, `ansible_ssh_private_key_file=${phraseKey} ansible_ssh_private_key_passphrase=${KEY_PHRASE}`) +
      `s2 ansible_host=${ADDR} ansible_port=${PORT} ansible_user=${APP} ansible_password=${PASS[APP]} ansible_ssh_private_key_file=/nonexistent\n`,
  );
  w.write('secret.yml', `- hosts: all\n  gather_facts: yes\n  tasks:\n    - command: sleep 2\n      become: "{{ inventory_hostname == 's1' }}"\n    - file: {path: "${w.dir}/out/secret-{{ inventory_hostname }}", state: touch}\n      become: "{{ inventory_hostname == 's1' }}"\n`);
  const run = w.tsibleAsync(['-i', 'inv-secret', 'secret.yml', '-vvvv']);
  const seen: string[] = [];
  for (let i = 0; i < 30 && run.child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      seen.push(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }));
    } catch {
      // ps raced with exiting processes
    }
  }
  const res = await run.done;
  expect(res.code).toBe(0);
  expect(res.stdout).toContain('SSH: EXEC');
  expect(seen.join('\n')).toContain('sleep 2');
  for (const secret of [PASS[WITHPW], PASS[APP], KEY_PHRASE, ...keyBody]) {
    expect({ secret, inOutput: res.stdout.includes(secret as string) }).toEqual({ secret, inOutput: false });
    expect({ secret, inProcessList: seen.some((p) => p.includes(secret as string)) }).toEqual({ secret, inProcessList: false });
  }
  // and at every other verbosity, the same play printed differently
  for (const verbosity of [[], ['-v'], ['-vv'], ['-vvv']]) {
    const other = w.tsible(['-i', 'inv-secret', 'secret.yml', ...verbosity]);
    expect({ verbosity, code: other.code }).toEqual({ verbosity, code: 0 });
    for (const secret of [PASS[WITHPW], PASS[APP], KEY_PHRASE, ...keyBody]) {
      const printed = other.stdout.includes(secret as string) || other.stderr.includes(secret as string);
      expect({ verbosity, secret, printed }).toEqual({ verbosity, secret, printed: false });
    }
  }
});
