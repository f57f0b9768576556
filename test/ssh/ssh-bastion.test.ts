// Bastions: a target sshd that listens only on the loopback of a network namespace, reached through
// a bastion sshd in that namespace (veth pair to the controller), by ProxyJump and by ProxyCommand.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ansibleAvailable, ensureRootAlias, recap, ROOT_USER, SshWorld } from './lib';

const NS = 'tsible-ssh-bastion';
const VETH = 'tsible-sshb0';
const VETH_NS = 'tsible-sshb1';
const BASTION = { address: '10.231.77.2', port: 22940 };
const INNER = { address: '127.0.0.1', port: 22941 };

let w: SshWorld;
let key: string;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'ignore' });
}

function teardownNetwork(): void {
  spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  spawnSync('ip', ['link', 'del', VETH], { stdio: 'ignore' });
}

beforeAll(async () => {
  ensureRootAlias();
  teardownNetwork();
  ip('netns', 'add', NS);
  ip('link', 'add', VETH, 'type', 'veth', 'peer', 'name', VETH_NS);
  ip('link', 'set', VETH_NS, 'netns', NS);
  ip('addr', 'add', '10.231.77.1/24', 'dev', VETH);
  ip('link', 'set', VETH, 'up');
  ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${BASTION.address}/24`, 'dev', VETH_NS);
  ip('netns', 'exec', NS, 'ip', 'link', 'set', VETH_NS, 'up');
  ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up');
  w = new SshWorld('bastion');
  key = w.key('id_ed25519');
  w.authorize(ROOT_USER, [key]);
  await w.sshd([BASTION], ['AllowTcpForwarding yes'], NS);
  await w.sshd([INNER], [], NS);
  w.trustAll();
  w.write('playbook.yml', `- hosts: all\n  gather_facts: no\n  tasks:\n    - command: cat /proc/net/dev\n      register: dev\n    - assert: {that: ["'${VETH_NS}' in dev.stdout"]}\n`);
});

afterAll(async () => {
  await w?.close();
  teardownNetwork();
});

test('the inner host cannot be reached directly', () => {
  w.write('inv-direct', `inner ansible_host=${INNER.address} ansible_port=${INNER.port} ansible_user=${ROOT_USER} ansible_ssh_private_key_file=${key}\n`);
  const r = w.tsible(['-i', 'inv-direct', 'playbook.yml']);
  expect(r.code).toBe(4);
  expect(r.stdout).toContain(`connect to host ${INNER.address} port ${INNER.port}: Connection refused`);
});

test('ProxyJump from ssh_common_args, the bastion key verified like any host (as ansible-playbook)', () => {
  const jump = `-o ProxyJump=${ROOT_USER}@${BASTION.address}:${BASTION.port}`;
  // the jump host authenticates with the identity from ssh_config, as ssh -J does
  const cfg = w.write('jump_config', `Host ${BASTION.address}\n  IdentityFile ${key}\n  UserKnownHostsFile ${path.join(w.home, '.ssh', 'known_hosts')}\n`);
  w.write('inv-jump', `inner ansible_host=${INNER.address} ansible_port=${INNER.port} ansible_user=${ROOT_USER} ansible_ssh_private_key_file=${key} ansible_ssh_common_args='-F ${cfg} ${jump} -o UserKnownHostsFile=${path.join(w.home, '.ssh', 'known_hosts')}'\n`);
  const r = w.tsible(['-i', 'inv-jump', 'playbook.yml']);
  expect(r.stdout).toContain('ok: [inner]');
  expect(r.code).toBe(0);
  if (ansibleAvailable()) {
    const a = w.ansible(['-i', 'inv-jump', 'playbook.yml']);
    expect({ code: a.code, recap: recap(a.stdout) }).toEqual({ code: r.code, recap: recap(r.stdout) });
  }
  // an unknown bastion key is refused
  const known = fs.readFileSync(path.join(w.home, '.ssh', 'known_hosts'), 'utf8');
  fs.writeFileSync(path.join(w.home, '.ssh', 'known_hosts'), known.split('\n').filter((l) => !l.startsWith(`[${BASTION.address}]`)).join('\n'));
  try {
    const refused = w.tsible(['-i', 'inv-jump', 'playbook.yml']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toContain(`No ED25519 host key is known for [${BASTION.address}]:${BASTION.port}`);
  } finally {
    fs.writeFileSync(path.join(w.home, '.ssh', 'known_hosts'), known);
  }
});

test('ProxyCommand runs as a child process carrying the connection', () => {
  const known = path.join(w.home, '.ssh', 'known_hosts');
  const proxy = `ssh -q -i ${key} -o UserKnownHostsFile=${known} -o BatchMode=yes -p ${BASTION.port} ${ROOT_USER}@${BASTION.address} -W %h:%p`;
  w.write('inv-pc', `inner ansible_host=${INNER.address} ansible_port=${INNER.port} ansible_user=${ROOT_USER} ansible_ssh_private_key_file=${key} ansible_ssh_common_args='-o ProxyCommand="${proxy}"'\n`);
  const r = w.tsible(['-i', 'inv-pc', 'playbook.yml']);
  expect(r.stdout).toContain('ok: [inner]');
  expect(r.code).toBe(0);
});
