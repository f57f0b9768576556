// Commands over SSH run in long-lived `sh` channels: one sshd session for a host's commands
// (counted in sshd's own log), more become identities than channels kept open, a timed-out
// command's shell replaced by a new one (rc 124), a server allowing fewer sessions than tsible keeps.
import * as fs from 'fs';
import * as path from 'path';
import { ConnectionPool } from '../../src/connection/pool';
import { freePort } from '../support/sshd';
import { ensureRootAlias, ROOT_USER, SshWorld } from './lib';

let w: SshWorld;
let key: string;
let host: { address: string; port: number };
let log: string;

beforeAll(async () => {
  ensureRootAlias();
  w = new SshWorld('shells');
  key = w.key('id_ed25519');
  w.authorize(ROOT_USER, [key]);
  host = { address: '127.0.1.61', port: await freePort('127.0.1.61') };
  await w.sshd([host], ['LogLevel VERBOSE']);
  w.trustAll();
  log = path.join(w.dir, 'srv', `sshd-${host.port}.log`);
  w.write('inv', `s1 ansible_host=${host.address} ansible_port=${host.port} ansible_user=${ROOT_USER} ansible_ssh_private_key_file=${key}\n`);
});

afterAll(async () => {
  await w?.close();
});

/** sshd's "Starting session" lines since `from` (one per exec channel or subsystem). */
function sessionsSince(from: number): string[] {
  return fs.readFileSync(log, 'utf8').slice(from).split('\n').filter((l) => l.includes('Starting session:'));
}

test('30 commands and a small copy on a host open one session on its sshd', () => {
  const from = fs.readFileSync(log, 'utf8').length;
  const out = path.join(w.dir, 'out-one');
  const tasks = Array.from({ length: 30 }, (_, i) => `    - command: echo n${i}\n      register: r${i}\n`).join('');
  w.write('one.yml', `- hosts: all\n  gather_facts: no\n  tasks:\n    - file: {path: "${out}", state: directory}\n${tasks}    - copy: {content: "x\\n", dest: "${out}/x.txt"}\n    - debug: {msg: "{{ r29.stdout }}"}\n`);
  const r = w.tsible(['-i', 'inv', 'one.yml']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('"msg": "n29"');
  expect(fs.readFileSync(path.join(out, 'x.txt'), 'utf8')).toBe('x\n');
  expect(sessionsSince(from)).toHaveLength(1);
});

test('ten become identities on one host (more than the eight channels kept open): each command as asked, in order', () => {
  const from = fs.readFileSync(log, 'utf8').length;
  // the same target user with ten different become_flags: ten shells, each started through sudo
  const flags = ['-H -S -n', '-S -n', '-n -S', '-n -H -S', '-S -H -n', '-S -n -H', '-H -n -S', '-n -S -H', '-E -S -n', '-E -H -S -n'];
  const tasks = [...flags, ...flags.slice(0, 3)]
    .map((f, i) => `    - shell: echo "t${i} $(id -u) $SUDO_COMMAND"\n      become: yes\n      become_flags: "${f}"\n      register: b${i}\n    - debug: {msg: "{{ b${i}.stdout }}"}\n`)
    .join('');
  w.write('ids.yml', `- hosts: all\n  gather_facts: no\n  tasks:\n${tasks}`);
  const r = w.tsible(['-i', 'inv', 'ids.yml']);
  expect(r.code).toBe(0);
  for (let i = 0; i < 13; i++) expect(r.stdout).toMatch(new RegExp(`"msg": "t${i} 0 /bin/sh -c`));
  // ten shells, and the three identities used again after eviction reopened as needed
  const n = sessionsSince(from).length;
  expect(n).toBeGreaterThanOrEqual(10);
  expect(n).toBeLessThanOrEqual(13);
});

test('a command past its timeout ends with its shell (rc 124); the next command gets a new one', async () => {
  const pool = new ConnectionPool({ env: { home: w.home, localUser: ROOT_USER } });
  const conn = pool.get('ssh', { host: 's1', address: host.address, port: host.port, user: ROOT_USER, privateKeyFile: key });
  try {
    const from = fs.readFileSync(log, 'utf8').length;
    expect((await conn.exec('echo before')).stdout).toBe('before\n');
    const started = Date.now();
    const slow = await conn.exec('echo started; sleep 30', { timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect({ rc: slow.rc, stdout: slow.stdout }).toEqual({ rc: 124, stdout: 'started\n' });
    expect(await conn.exec('echo after; exit 3')).toEqual(expect.objectContaining({ rc: 3, stdout: 'after\n' }));
    expect(sessionsSince(from)).toHaveLength(2);
  } finally {
    await pool.closeAll();
  }
});

test('a server allowing two sessions (MaxSessions 2): shells of four become identities take turns', async () => {
  const small = { address: '127.0.1.62', port: await freePort('127.0.1.62') };
  await w.sshd([small], ['MaxSessions 2']);
  w.trustAll();
  const pool = new ConnectionPool({ env: { home: w.home, localUser: ROOT_USER } });
  const conn = pool.get('ssh', { host: 's2', address: small.address, port: small.port, user: ROOT_USER, privateKeyFile: key });
  try {
    const outputs: string[] = [];
    for (const flags of [undefined, '-H -S -n', '-S -n', '-n -S', undefined, '-H -S -n']) {
      const become = flags ? { become: true, user: 'root', flags } : undefined;
      const r = await conn.exec('echo "$(id -u) ${SUDO_USER:-none}"', { become });
      expect(r.rc).toBe(0);
      outputs.push(r.stdout.trim());
    }
    // uid 0 logs in, so sudo names the invoking user root
    expect(outputs).toEqual(['0 none', '0 root', '0 root', '0 root', '0 none', '0 root']);
  } finally {
    await pool.closeAll();
  }
});
