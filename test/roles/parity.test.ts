// The roles are ordinary Ansible roles: playbooks/k8s.yml (all seven roles) run by
// ansible-playbook and by tsible, each on its own fresh lab-shaped containers of one image (an
// etcd node, a controller, a worker; groups etcd, k8s_controller, k8s_worker under k8s, the lab's
// group_vars/k8s.yml), first limited to the etcd node (the CA role gathers the others' facts
// through delegation), then on all hosts, then again (no change), must give the same RECAPs and
// leave the same files on the hosts and on the controller (keys, CSRs, certificates and the
// kubeconfigs' embedded ones by type, subject, names, usages and issuer; addresses by host name).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderLabInventory } from '../../src/lab/inventory';
import { labNodes, labPlatform } from '../../src/lab/topology';
import { dockerDriver } from '../../src/testing/drivers/docker';
import type { DriverRun, Instance, Platform } from '../../src/testing/drivers/types';
import { ensureTestImage } from '../support/docker';
import { containerSnapshot, localSnapshot, normalise, PARITY_PREFIX, pythonImage, runEngine, writeFile, type EngineRun } from './parity-support';
import { REPO, SCENARIO_TIMEOUT_MS, startRoleMirror, type RoleMirror } from './support';

const ENGINES = ['ansible', 'tsible'] as const;
type Engine = (typeof ENGINES)[number];
const PLAYBOOK = path.join(REPO, 'playbooks', 'k8s.yml');
const NODES = labNodes({ etcd: 1, masters: 1, workers: 1 });
const HOSTS = NODES.map((n) => n.name);

/** What the roles leave on a node: directories listed whole, then single files (absent ones say so). */
const TREES = [
  '/etc/etcd', '/var/lib/kubernetes', '/etc/flannel', '/etc/cni/net.d', '/etc/systemd/system/flanneld.service.d', '/opt/tmp',
  '/var/lib/kubelet', '/var/lib/kube-proxy', '/opt/cni/bin',
];
const SINGLES = [
  '/var/lib/etcd', '/usr/local/sbin/flanneld',
  ...['etcd', 'etcdctl', 'dockerd', 'containerd', 'runc', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kubelet', 'kube-proxy'].map((b) => `/usr/local/bin/${b}`),
  ...['etcd', 'flanneld', 'docker', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy'].map((s) => `/etc/systemd/system/${s}.service`),
];

interface Side {
  run: DriverRun;
  platforms: Platform[];
  instances: Instance[];
  /** The controller's directories: certificates (k8s_ca_conf_directory) and the admin kubeconfig. */
  certs: string;
  configs: string;
  runs: EngineRun[];
  addresses: Record<string, string>;
}

let work: string;
let mirror: RoleMirror;
const sides = {} as Record<Engine, Side>;
const driver = dockerDriver();

/** The lab's inventory shape: hosts.yml as `tsible lab up` writes it, the lab's group_vars/k8s.yml, and all.yml with this run's paths and mirror. */
function writeInventory(side: Side): string {
  const dir = path.join(side.run.scenarioDir, 'inventory');
  const hosts = NODES.map((node) => ({ node, container: String(side.instances.find((i) => i.name === node.name)?.hostVars.ansible_host) }));
  writeFile(path.join(dir, 'hosts.yml'), renderLabInventory('parity', hosts));
  writeFile(path.join(dir, 'group_vars', 'k8s.yml'), fs.readFileSync(path.join(REPO, 'inventories', 'lab', 'group_vars', 'k8s.yml'), 'utf8'));
  const all = { ansible_python_interpreter: '/usr/bin/python3', k8s_interface: 'eth0', k8s_ca_conf_directory: side.certs, k8s_config_directory: side.configs, ...mirror.vars };
  writeFile(path.join(dir, 'group_vars', 'all.yml'), JSON.stringify(all, null, 2));
  return dir;
}

beforeAll(async () => {
  mirror = await startRoleMirror();
  await ensureTestImage();
  const image = pythonImage();
  work = fs.mkdtempSync(path.join(os.tmpdir(), `${PARITY_PREFIX}-`));
  for (const engine of ENGINES) {
    const dir = path.join(work, engine);
    fs.mkdirSync(dir);
    const run: DriverRun = { runId: `${PARITY_PREFIX}-${engine}-${process.pid}`, scenarioDir: dir, ephemeralDir: dir, log: () => undefined };
    const platforms = NODES.map((n) => labPlatform(n, image));
    sides[engine] = { run, platforms, instances: [], certs: path.join(dir, 'k8s-certs'), configs: path.join(dir, 'k8s-configs'), runs: [], addresses: {} };
    sides[engine].instances = await driver.create(platforms, run);
  }
  await Promise.all(ENGINES.map(async (engine) => {
    const side = sides[engine];
    for (const i of side.instances) side.addresses[i.name] = i.address ?? '';
    const inv = writeInventory(side);
    side.runs.push(await runEngine(engine, PLAYBOOK, inv, ['--limit', 'etcd1']));
    side.runs.push(await runEngine(engine, PLAYBOOK, inv));
    side.runs.push(await runEngine(engine, PLAYBOOK, inv));
  }));
}, 2 * SCENARIO_TIMEOUT_MS);

afterAll(async () => {
  for (const engine of ENGINES) if (sides[engine]) await driver.destroy(sides[engine].platforms, sides[engine].run);
  await mirror?.server.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
}, 120_000);

test('both engines converge (limited, then whole), then change nothing, with the same RECAPs', () => {
  for (const engine of ENGINES) {
    for (const r of sides[engine].runs) expect({ engine, code: r.code, out: r.code === 0 ? '' : r.out.slice(-4000) }).toEqual({ engine, code: 0, out: '' });
  }
  expect(sides.tsible.runs.map((r) => r.recap)).toEqual(sides.ansible.runs.map((r) => r.recap));
  expect(sides.ansible.runs[2]?.recap.every((l) => l.includes(' changed=0 '))).toBe(true);
  expect(sides.ansible.runs[2]?.recap.length).toBe(HOSTS.length);
});

test('the hosts hold the same files', () => {
  const snap = (engine: Engine, host: string): string => {
    const side = sides[engine];
    const container = side.instances.find((i) => i.name === host)?.hostVars.ansible_host as string;
    return normalise(containerSnapshot(container, TREES, SINGLES), side.addresses);
  };
  const expected: Record<string, string[]> = {
    etcd1: ['/etc/etcd/cert-etcd.pem 644 root:root', '/usr/local/bin/etcd 755 root:root', '/etc/flannel/options.env 644 root:root'],
    master1: ['/etc/systemd/system/kube-apiserver.service 644 root:root', '/var/lib/kubernetes/admin.kubeconfig 600 root:root', '/var/lib/kubernetes/kube-dns.yaml 644 root:root', '/usr/local/bin/dockerd 755 root:root'],
    worker1: ['/var/lib/kubelet/kubeconfig 600 root:root', '/opt/cni/bin/bridge 755 root:root', '/etc/systemd/system/kube-proxy.service 644 root:root'],
  };
  for (const host of HOSTS) {
    const ansible = snap('ansible', host);
    for (const line of expected[host] ?? []) expect(ansible).toContain(line);
    expect(snap('tsible', host)).toBe(ansible);
  }
});

test('the controller holds the same CAs, keys, requests, certificates and admin kubeconfig', () => {
  const snap = (engine: Engine): string => normalise(localSnapshot(sides[engine].certs) + localSnapshot(sides[engine].configs), sides[engine].addresses);
  const ansible = snap('ansible');
  expect(ansible).toContain('./ca-etcd-key.pem 600 root:root');
  expect(ansible).toContain('./admin.kubeconfig 600 root:root');
  expect(ansible).toContain('client-key-data:');
  expect(snap('tsible')).toBe(ansible);
});
