// `tsible lab up|status|down` through the CLI on the real Engine: the posts' four nodes as
// systemd containers, the inventory with the posts' groups reached with the docker connection
// (a playbook runs on every node and nodes reach each other by name), --ssh with a key and
// known_hosts checked by OpenSSH and by Ansible itself, resizing, and down leaving nothing behind.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import { ensureTestImage, leftovers } from '../support/docker';
import { runTsible } from '../support/run-tsible';

const name = 'docker-test-lab';
const prefix = `tsible-${name}`;
const project = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
const inventory = path.join(project, 'inventories', name, 'hosts.yml');

beforeAll(() => ensureTestImage(), 600_000);
afterAll(async () => {
  runTsible(['lab', 'down', '--name', name], project);
  fs.rmSync(project, { recursive: true, force: true });
}, 120_000);

test('lab up: four nodes, an inventory with the posts groups, reached with the docker connection', () => {
  const up = runTsible(['lab', 'up', '--name', name], project);
  expect(up.stderr).not.toMatch(/ERROR/);
  expect(up.status).toBe(0);
  expect(up.stdout).toMatch(new RegExp(`^NODE\\s+GROUP\\s+CONTAINER\\s+ADDRESS\\netcd1\\s+etcd\\s+${prefix}-etcd1\\s+\\d+\\.`));
  expect(up.stdout).toContain(`inventory: inventories/${name}/hosts.yml (docker connection); try: tsible -i inventories/${name} PLAYBOOK`);
  const inv = yaml.parse(fs.readFileSync(inventory, 'utf8'));
  expect(inv.all.vars).toEqual({ ansible_connection: 'community.docker.docker' });
  const groups = inv.all.children.k8s.children;
  expect(Object.fromEntries(Object.entries(groups).map(([g, v]) => [g, Object.keys((v as { hosts: object }).hosts)]))).toEqual({
    etcd: ['etcd1'],
    k8s_controller: ['master1'],
    k8s_worker: ['worker1', 'worker2'],
  });
  expect(groups.k8s_worker.hosts.worker2).toEqual({ ansible_host: `${prefix}-worker2` });

  fs.writeFileSync(
    path.join(project, 'ping.yml'),
    [
      '- hosts: k8s',
      '  gather_facts: false',
      '  tasks:',
      '    - command: hostname',
      '      register: h',
      '      changed_when: false',
      '    - assert: {that: "h.stdout == inventory_hostname"}',
      '    - name: the etcd node reaches every other node by name',
      "      command: getent hosts {{ groups['k8s'] | join(' ') }}",
      '      changed_when: false',
      "      when: inventory_hostname in groups['etcd']",
      '',
    ].join('\n'),
  );
  const play = runTsible(['-i', `inventories/${name}`, 'ping.yml'], project);
  expect(play.status).toBe(0);
  for (const n of ['etcd1', 'master1', 'worker1', 'worker2']) expect(play.stdout).toMatch(new RegExp(`${n}\\s+: ok=[23]\\s+changed=0\\s+unreachable=0\\s+failed=0`));
}, 300_000);

test('lab status: every node running with systemd up', () => {
  const st = runTsible(['lab', 'status', '--name', name], project);
  expect(st.status).toBe(0);
  const rows = st.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/));
  expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual([
    ['etcd1', 'etcd', `${prefix}-etcd1`, 'running', 'running'],
    ['master1', 'k8s_controller', `${prefix}-master1`, 'running', 'running'],
    ['worker1', 'k8s_worker', `${prefix}-worker1`, 'running', 'running'],
    ['worker2', 'k8s_worker', `${prefix}-worker2`, 'running', 'running'],
  ]);
});

test('lab up --ssh: sshd in every node, a key, and host keys in known_hosts (OpenSSH and Ansible use them)', () => {
  const up = runTsible(['lab', 'up', '--name', name, '--ssh'], project);
  expect(up.status).toBe(0);
  const inv = yaml.parse(fs.readFileSync(inventory, 'utf8'));
  expect(inv.all.vars).toEqual({ ansible_connection: 'ssh' });
  const master = inv.all.children.k8s.children.k8s_controller.hosts.master1;
  const stateDir = path.join(project, '.tsible', `lab-${name}`);
  expect(master).toEqual({
    ansible_host: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
    ansible_user: 'root',
    ansible_ssh_private_key_file: path.join(stateDir, 'id_ed25519'),
    ansible_ssh_common_args: `-o UserKnownHostsFile=${path.join(stateDir, 'known_hosts')} -o StrictHostKeyChecking=yes`,
  });
  expect(fs.statSync(master.ansible_ssh_private_key_file).mode & 0o777).toBe(0o600);
  const known = fs.readFileSync(path.join(stateDir, 'known_hosts'), 'utf8').trim().split('\n');
  expect(known).toHaveLength(4);
  const ssh = spawnSync(
    'ssh',
    ['-i', master.ansible_ssh_private_key_file, '-o', `UserKnownHostsFile=${path.join(stateDir, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `root@${master.ansible_host}`, 'hostname'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect({ status: ssh.status, out: ssh.stdout, err: ssh.stderr }).toEqual({ status: 0, out: 'master1\n', err: '' });
  // each node has its own host key: no two known_hosts lines share one
  expect(new Set(known.map((l) => l.split(' ')[2])).size).toBe(4);
  // Ansible's own ssh connection with this inventory (raw: the nodes have no Python)
  const ansible = spawnSync('ansible', ['-i', inventory, 'k8s', '-m', 'raw', '-a', 'hostname'], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
  });
  expect(ansible.status).toBe(0);
  for (const n of ['etcd1', 'master1', 'worker1', 'worker2']) expect(ansible.stdout).toContain(`${n} | CHANGED | rc=0 >>\n${n}`);
  // and tsible's own ssh connection, with the same playbook as over docker
  const play = runTsible(['-i', `inventories/${name}`, 'ping.yml'], project);
  expect(play.stderr).toBe('');
  expect(play.status).toBe(0);
  for (const n of ['etcd1', 'master1', 'worker1', 'worker2']) expect(play.stdout).toMatch(new RegExp(`${n}\\s+: ok=[23]\\s+changed=0\\s+unreachable=0\\s+failed=0`));
}, 300_000);

test('lab up with fewer workers removes the surplus node', async () => {
  const up = runTsible(['lab', 'up', '--name', name, '--workers', '1'], project);
  expect(up.status).toBe(0);
  expect(await leftovers(`${prefix}-worker`)).toEqual([`${prefix}-worker1`, `${prefix}-worker1-docker`]);
  const inv = yaml.parse(fs.readFileSync(inventory, 'utf8'));
  expect(Object.keys(inv.all.children.k8s.children.k8s_worker.hosts)).toEqual(['worker1']);
}, 300_000);

test('lab down: nothing left (containers, network, volumes, inventory, keys); a second down is fine', async () => {
  const down = runTsible(['lab', 'down', '--name', name], project);
  expect(down).toMatchObject({ status: 0, stdout: `lab '${name}' removed\n` });
  expect(await leftovers(prefix)).toEqual([]);
  expect(fs.existsSync(path.join(project, 'inventories'))).toBe(false);
  expect(fs.existsSync(path.join(project, '.tsible'))).toBe(false);
  expect(runTsible(['lab', 'down', '--name', name], project).status).toBe(0);
  const st = runTsible(['lab', 'status', '--name', name], project);
  expect(st.stdout).toBe(`no lab '${name}' here (tsible lab up creates it)\n`);
}, 120_000);

test('bad lab options are refused before anything is made', () => {
  const bad = runTsible(['lab', 'up', '--name', name, '--workers', 'two'], project);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("tsible lab: error: --workers needs a whole number (got 'two')");
  expect(runTsible(['lab', 'sideways'], project).stderr).toContain("unknown lab command 'sideways' (up, status or down)");
});
