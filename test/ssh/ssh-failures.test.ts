// Failure semantics and concurrency over SSH, compared with ansible-playbook on the same sshd
// servers: an unreachable host among reachable ones, sshd killed mid-run, reconnecting,
// meta: reset_connection, serial: 1 over 4 hosts, Ctrl-C (exit 99).
import * as fs from 'fs';
import * as path from 'path';
import { freePort } from '../support/sshd';
import { ansibleAvailable, ensureRootAlias, recap, ROOT_USER, SshWorld, statusLines } from './lib';

let w: SshWorld;
let key: string;
const HOSTS = [1, 2, 3, 4].map((i) => ({ name: `h${i}`, address: `127.0.1.3${i}`, port: 2230 + i }));

beforeAll(async () => {
  ensureRootAlias();
  w = new SshWorld('failures');
  key = w.key('id_ed25519');
  w.authorize(ROOT_USER, [key]);
  for (const h of HOSTS) await w.sshd([{ address: h.address, port: h.port }]);
  w.trustAll();
});

afterAll(async () => {
  await w?.close();
});

const line = (h: { name: string; address: string; port: number }) =>
  `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${ROOT_USER} ansible_ssh_private_key_file=${key}`;

test('an unreachable host among reachable ones: UNREACHABLE, dropped from the play, exit 4, as ansible-playbook', async () => {
  const dead = { name: 'dead', address: '127.0.1.39', port: await freePort('127.0.1.39') };
  w.write('inv-unreach', [...HOSTS.slice(0, 2), dead].map(line).join('\n') + '\n');
  w.write('unreach.yml', `- hosts: all\n  gather_facts: no\n  tasks:\n    - command: echo one\n    - command: echo two\n- hosts: all\n  gather_facts: no\n  tasks:\n    - command: echo three\n`);
  const r = w.tsible(['-i', 'inv-unreach', 'unreach.yml']);
  expect(r.code).toBe(4);
  expect(r.stdout).toContain(`fatal: [dead]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 127.0.1.39 port ${dead.port}: Connection refused", "unreachable": true}`);
  expect(recap(r.stdout).dead).toEqual(expect.objectContaining({ ok: 0, unreachable: 1 }));
  expect(recap(r.stdout).h1).toEqual(expect.objectContaining({ ok: 3, changed: 3 }));
  if (ansibleAvailable()) {
    const a = w.ansible(['-i', 'inv-unreach', 'unreach.yml']);
    expect({ code: a.code, recap: recap(a.stdout), lines: statusLines(a.stdout) }).toEqual({ code: r.code, recap: recap(r.stdout), lines: statusLines(r.stdout) });
  }
});

test('ignore_unreachable keeps the host in the play; a connection that drops reconnects on the next task', async () => {
  const victim = HOSTS[3] as (typeof HOSTS)[number];
  w.write('inv-drop', [HOSTS[0] as typeof victim, victim].map(line).join('\n') + '\n');
  const flag = path.join(w.dir, 'killed');
  fs.rmSync(flag, { force: true });
  w.write(
    'drop.yml',
    `- hosts: all\n  gather_facts: no\n  tasks:\n    - command: echo before\n    - command: sleep 3\n      ignore_unreachable: yes\n    - wait_for: {path: "${flag}"}\n      delegate_to: localhost\n      connection: local\n    - command: echo after\n`,
  );
  const run = w.tsibleAsync(['-i', 'inv-drop', 'drop.yml']);
  // wait until the sleep task has started, then kill the victim's sshd and its sessions
  for (let i = 0; i < 200 && run.output().split('TASK [command]').length < 3; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 700));
  const server = w.servers[3] as (typeof w.servers)[number];
  await server.stop();
  // the host comes back before the next task: it reconnects
  const back = await w.sshd([{ address: victim.address, port: victim.port }]);
  w.servers[3] = back;
  fs.writeFileSync(flag, '');
  const r = await run.done;
  expect(r.stdout).toContain('fatal: [h4]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: Connection to 127.0.1.34 closed by remote host."');
  expect(r.stdout).toContain('...ignoring');
  // as Ansible counts an ignored unreachable: ok and ignored
  expect(recap(r.stdout).h4).toEqual(expect.objectContaining({ unreachable: 0, ignored: 1, ok: 4 }));
  expect(recap(r.stdout).h1).toEqual(expect.objectContaining({ ok: 4 }));
  expect(r.code).toBe(0);
});

test('meta: reset_connection closes the connection and the next task opens a new one', () => {
  w.write('inv-reset', line(HOSTS[0] as (typeof HOSTS)[number]) + '\n');
  w.write(
    'reset.yml',
    `- hosts: all\n  gather_facts: no\n  tasks:\n    - shell: 'echo $$; p=$$; while [ \"$(ps -o comm= -p $p)\" != sshd ]; do p=$(ps -o ppid= -p $p | tr -d \" \"); done; echo $p'\n      register: a\n    - meta: reset_connection\n    - shell: 'echo $$; p=$$; while [ \"$(ps -o comm= -p $p)\" != sshd ]; do p=$(ps -o ppid= -p $p | tr -d \" \"); done; echo $p'\n      register: b\n    - shell: 'echo $$; p=$$; while [ \"$(ps -o comm= -p $p)\" != sshd ]; do p=$(ps -o ppid= -p $p | tr -d \" \"); done; echo $p'\n      register: c\n    - debug: msg="{{ [a.stdout_lines[1], b.stdout_lines[1], c.stdout_lines[1]] | map('trim') | list }}"\n`,
  );
  const r = w.tsible(['-i', 'inv-reset', 'reset.yml']);
  expect(r.code).toBe(0);
  const m = /"msg": \[\s*"(\d+)",\s*"(\d+)",\s*"(\d+)"\s*\]/.exec(r.stdout);
  expect(m).not.toBeNull();
  const [, a, b, c] = m as RegExpExecArray;
  // the sshd session process (the nearest sshd ancestor) differs after the reset and stays the same without one
  expect(a).not.toBe(b);
  expect(b).toBe(c);
});

test('serial: 1 over 4 hosts runs one host at a time, as ansible-playbook', () => {
  w.write('inv-serial', HOSTS.map(line).join('\n') + '\n');
  w.write('serial.yml', `- hosts: all\n  gather_facts: no\n  serial: 1\n  tasks:\n    - command: echo {{ inventory_hostname }}\n    - debug: msg="{{ ansible_play_batch }}"\n`);
  const r = w.tsible(['-i', 'inv-serial', 'serial.yml']);
  expect(r.code).toBe(0);
  expect(r.stdout.split('PLAY [all]').length - 1).toBe(4);
  if (ansibleAvailable()) {
    const a = w.ansible(['-i', 'inv-serial', 'serial.yml']);
    expect({ code: a.code, recap: recap(a.stdout), lines: statusLines(a.stdout) }).toEqual({ code: r.code, recap: recap(r.stdout), lines: statusLines(r.stdout) });
  }
});

test('Ctrl-C closes the connections and exits 99', async () => {
  w.write('inv-int', HOSTS.slice(0, 2).map(line).join('\n') + '\n');
  w.write('int.yml', `- hosts: all\n  gather_facts: no\n  tasks:\n    - command: echo start\n    - command: sleep 30\n`);
  const run = w.tsibleAsync(['-i', 'inv-int', 'int.yml']);
  for (let i = 0; i < 200 && !run.output().includes('changed: [h2]') && !run.output().includes('changed: [h1]'); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  run.child.kill('SIGINT');
  const started = Date.now();
  const r = await run.done;
  expect(Date.now() - started).toBeLessThan(5000);
  expect(r.code).toBe(99);
  expect(r.stdout).toContain('User interrupted execution');
});
