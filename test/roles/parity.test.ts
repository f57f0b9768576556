// The roles are ordinary Ansible roles: the same playbook (kubernetes_ca on an etcd member that
// is also a controller and on a worker, etcd on the member, flanneld on both, docker on the
// member) run by ansible-playbook and by
// tsible, each on its own fresh containers of one image, first limited to the member (the CA role
// gathers the worker's facts through delegation), then on all hosts, then again (no change),
// must give the same RECAPs and leave the same files on the hosts and on the controller (keys, CSRs and
// certificates compared by type, subject, names, usages and issuer; addresses by host name).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dockerDriver } from '../../src/testing/drivers/docker';
import type { DriverRun, Instance, Platform } from '../../src/testing/drivers/types';
import { ensureTestImage } from '../support/docker';
import { containerSnapshot, localSnapshot, normalise, PARITY_PREFIX, pythonImage, runEngine, writeFile, type EngineRun } from './parity-support';
import { SCENARIO_TIMEOUT_MS, startRoleMirror, type RoleMirror } from './support';

const ENGINES = ['ansible', 'tsible'] as const;
type Engine = (typeof ENGINES)[number];

const PLAYBOOK = `- name: Certificates
  hosts: all
  gather_facts: true
  roles:
    - role: kubernetes_ca
      tags: role-kubernetes-ca

- name: etcd
  hosts: etcd
  gather_facts: true
  roles:
    - role: etcd
      tags: role-etcd

- name: flannel
  hosts: all
  gather_facts: true
  roles:
    - role: flanneld
      tags: role-kubernetes-flanneld

- name: Docker
  hosts: ca-node1
  gather_facts: true
  roles:
    - role: docker
      tags: role-docker
`;

interface Side {
  run: DriverRun;
  platforms: Platform[];
  instances: Instance[];
  certs: string;
  runs: EngineRun[];
  addresses: Record<string, string>;
}

let work: string;
let mirror: RoleMirror;
const sides = {} as Record<Engine, Side>;
const driver = dockerDriver();

function inventory(side: Side): string {
  const hosts = Object.fromEntries(side.instances.map((i) => [i.name, { ansible_host: i.hostVars.ansible_host }]));
  return JSON.stringify({
    all: {
      hosts,
      vars: {
        ansible_connection: 'community.docker.docker',
        ansible_python_interpreter: '/usr/bin/python3',
        k8s_interface: 'eth0',
        k8s_ca_conf_directory: side.certs,
        etcd_download_url_base: `${mirror.env.TSIBLE_K8S_MIRROR}/github.com/etcd-io/etcd/releases/download`,
        flannel_download_url_base: `${mirror.env.TSIBLE_K8S_MIRROR}/github.com/flannel-io/flannel/releases/download`,
        flannel_checksum: `sha256:${mirror.env.TSIBLE_K8S_FLANNELD_SHA256}`,
        flannel_ip_range: '10.200.0.0/16',
        docker_download_url_base: `${mirror.env.TSIBLE_K8S_MIRROR}/download.docker.com/linux/static/stable/x86_64`,
        docker_checksum: `sha256:${mirror.env.TSIBLE_K8S_DOCKER_SHA256}`,
      },
      children: {
        etcd: { hosts: { 'ca-node1': {} } },
        k8s_controller: { hosts: { 'ca-node1': {} } },
        k8s_worker: { hosts: { 'ca-node2': {} } },
      },
    },
  }, null, 2);
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
    const platforms: Platform[] = [
      { name: 'ca-node1', image, pre_build_image: true, capabilities: ['NET_ADMIN'], volumes: ['docker-data:/var/lib/docker'] },
      { name: 'ca-node2', image, pre_build_image: true },
    ];
    sides[engine] = { run, platforms, instances: [], certs: path.join(dir, 'k8s-certs'), runs: [], addresses: {} };
    sides[engine].instances = await driver.create(platforms, run);
  }
  await Promise.all(ENGINES.map(async (engine) => {
    const side = sides[engine];
    for (const i of side.instances) side.addresses[i.name] = i.address ?? '';
    const inv = writeFile(path.join(side.run.scenarioDir, 'inventory.json'), inventory(side));
    const pb = writeFile(path.join(side.run.scenarioDir, 'site.yml'), PLAYBOOK);
    side.runs.push(await runEngine(engine, pb, inv, ['--limit', 'ca-node1']));
    side.runs.push(await runEngine(engine, pb, inv));
    side.runs.push(await runEngine(engine, pb, inv));
  }));
}, SCENARIO_TIMEOUT_MS);

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
  expect(sides.ansible.runs[2]?.recap.length).toBe(2);
});

test('the hosts hold the same files', () => {
  const snap = (engine: Engine, host: string): string => {
    const side = sides[engine];
    const container = side.instances.find((i) => i.name === host)?.hostVars.ansible_host as string;
    const etcd = host === 'ca-node1';
    return normalise(containerSnapshot(
      container,
      ['/etc/etcd', '/var/lib/kubernetes', '/etc/flannel', '/etc/cni/net.d', '/etc/systemd/system/flanneld.service.d', ...(etcd ? ['/opt/tmp'] : [])],
      [
        '/etc/systemd/system/flanneld.service', '/usr/local/sbin/flanneld',
        ...(etcd ? ['/etc/systemd/system/etcd.service', '/usr/local/bin/etcd', '/usr/local/bin/etcdctl', '/var/lib/etcd'] : []),
        ...(etcd ? ['/etc/systemd/system/docker.service', '/usr/local/bin/dockerd', '/usr/local/bin/containerd', '/usr/local/bin/runc'] : []),
      ],
    ), side.addresses);
  };
  for (const host of ['ca-node1', 'ca-node2']) {
    const ansible = snap('ansible', host);
    expect(ansible).toContain('/etc/etcd/cert-etcd.pem 644 root:root');
    expect(ansible).toContain('/etc/flannel/options.env 644 root:root');
    if (host === 'ca-node1') expect(ansible).toContain('/usr/local/bin/dockerd 755 root:root');
    expect(snap('tsible', host)).toBe(ansible);
  }
});

test('the controller holds the same CAs, keys, requests and certificates', () => {
  const ansible = normalise(localSnapshot(sides.ansible.certs), sides.ansible.addresses);
  expect(ansible).toContain('./ca-etcd-key.pem 600 root:root');
  expect(normalise(localSnapshot(sides.tsible.certs), sides.tsible.addresses)).toBe(ansible);
});
