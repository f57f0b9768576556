// The artifact mirror and the stand-ins, for real: archives downloaded from the mirror's HTTP
// server are checked against its checksum files and run; Debian's etcd from the mirror serves
// TLS with certificates made by tsible's community.crypto modules; the flanneld stand-in leases
// a subnet from it; the kube-apiserver stand-in keeps objects in it and answers Debian's kubectl.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildMirror, type Mirror } from './build';
import { startMirrorServer, type MirrorServer } from './server';
import { curlTls, download, freePort, httpGet, sh, sha256, startDaemon, waitFor, writeKubeconfig, type Daemon } from './test-helpers';

const TSIBLE = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const AGENTS = ['kubelet', 'kube-proxy', 'kube-controller-manager', 'kube-scheduler'];

let mirror: Mirror;
let server: MirrorServer;
let work: string;
let bin: string;
let pki: string;
const daemons: Daemon[] = [];

const url = (rel: string): string => `${server.url}/${rel}`;
const k8sUrl = (name: string): string => url(`${mirror.bases.kubernetes}/v${mirror.versions.kubernetes}/bin/linux/amd64/${name}`);

function daemon(binary: string, args: string[], env: NodeJS.ProcessEnv = {}): Daemon {
  const d = startDaemon(binary, args, env);
  daemons.push(d);
  return d;
}

beforeAll(async () => {
  mirror = buildMirror();
  server = await startMirrorServer(mirror.root);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-k8s-mirror-'));
  bin = path.join(work, 'bin');
  pki = path.join(work, 'pki');
  fs.mkdirSync(pki);
  const made = sh(process.execPath, [TSIBLE, '-i', 'localhost,', '-c', 'local', path.join(__dirname, 'fixtures', 'pki.yml'), '-e', `pki=${pki}`]);
  if (made.rc !== 0) throw new Error(`certificates: ${made.out}`);
  const etcdTar = path.join(work, 'etcd.tar.gz');
  await download(url(`${mirror.bases.etcd}/v${mirror.versions.etcd}/etcd-v${mirror.versions.etcd}-linux-amd64.tar.gz`), etcdTar);
  fs.mkdirSync(bin);
  sh('tar', ['-xzf', etcdTar, '-C', bin, '--strip-components=1']);
  await download(url(`${mirror.bases.flannel}/v${mirror.versions.flannel}/flanneld-amd64`), path.join(bin, 'flanneld'));
  for (const b of ['kubectl', 'kube-apiserver', ...AGENTS]) await download(k8sUrl(b), path.join(bin, b));
}, 900_000);

afterAll(async () => {
  for (const d of daemons.reverse()) await d.stop();
  await server?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the mirror', () => {
  test('every file answers at its public path with the checksum in the index and in the published checksum files', async () => {
    for (const f of mirror.files) {
      const r = await httpGet(url(f.path));
      expect({ path: f.path, status: r.status, sha256: sha256(r.body) }).toEqual({ path: f.path, status: 200, sha256: f.sha256 });
      const text = r.body.toString('utf8');
      if (f.path.endsWith('.sha256') && f.path.includes('/bin/linux/')) {
        expect(text.trim()).toBe(mirror.files.find((g) => g.path === f.path.slice(0, -'.sha256'.length))?.sha256);
      } else if (f.path.endsWith('.sha256') || f.path.endsWith('SHA256SUMS')) {
        const [hex, name] = text.trim().split(/\s+/);
        expect(mirror.files.find((g) => g.path === `${path.posix.dirname(f.path)}/${name}`)?.sha256).toBe(hex);
      }
    }
    expect(mirror.files.filter((f) => f.standIn).map((f) => path.posix.basename(f.path)).sort()).toEqual(
      [...AGENTS, 'kube-apiserver'].flatMap((b) => [b, `${b}.sha256`]).concat('flanneld-amd64', `flannel-v${mirror.versions.flannel}-linux-amd64.tar.gz`).sort(),
    );
  });

  test('older URL shapes are served too; unknown paths are 404', async () => {
    const v = `v${mirror.versions.kubernetes}`;
    expect((await httpGet(url(`storage.googleapis.com/kubernetes-release/release/${v}/bin/linux/amd64/kubectl.sha256`))).status).toBe(200);
    expect((await httpGet(url(`github.com/coreos/flannel/releases/download/v${mirror.versions.flannel}/flanneld-amd64`))).status).toBe(200);
    expect((await httpGet(url('github.com/etcd-io/etcd/releases/download/v0.0.0/nothing.tar.gz'))).status).toBe(404);
  });

  test('etcd: etcd-vX-linux-amd64/ with etcd and etcdctl, which run', () => {
    const listing = sh('tar', ['-tzf', path.join(work, 'etcd.tar.gz')]).stdout.split('\n').filter(Boolean).sort();
    const dir = `etcd-v${mirror.versions.etcd}-linux-amd64/`;
    expect(listing).toEqual([dir, `${dir}README.md`, `${dir}etcd`, `${dir}etcdctl`]);
    expect(sh(path.join(bin, 'etcd'), ['--version']).out).toContain(`etcd Version: ${mirror.versions.etcd}`);
    expect(sh(path.join(bin, 'etcdctl'), ['version']).out).toContain(mirror.versions.etcd);
  });

  test('docker: docker/ with the engine, containerd, runc and docker-init; dockerd finds libdevmapper beside it', async () => {
    const tgz = path.join(work, 'docker.tgz');
    await download(url(`${mirror.bases.docker}/docker-${mirror.versions.docker}.tgz`), tgz);
    const names = sh('tar', ['-tzf', tgz]).stdout.split('\n').filter(Boolean).sort();
    for (const b of ['docker', 'dockerd', 'docker-init', 'docker-proxy', 'containerd', 'containerd-shim-runc-v2', 'ctr', 'runc']) expect(names).toContain(`docker/${b}`);
    const dest = path.join(work, 'docker-x');
    fs.mkdirSync(dest);
    sh('tar', ['-xzf', tgz, '-C', dest]);
    expect(sh(path.join(dest, 'docker/dockerd'), ['--version']).out).toContain(`Docker version ${mirror.versions.docker}`);
    expect(sh('ldd', [path.join(dest, 'docker/dockerd')]).out).toContain(`libdevmapper.so.1.02.1 => ${path.join(dest, 'docker')}/libdevmapper.so.1.02.1`);
    expect(sh(path.join(dest, 'docker/containerd'), ['--version']).rc).toBe(0);
    expect(sh(path.join(dest, 'docker/runc'), ['--version']).out).toContain('runc version');
    expect(sh(path.join(dest, 'docker/docker-init'), ['--version']).out).toContain('tini version');
  });

  test('CNI plugins: a flat archive of the plugins', async () => {
    const tgz = path.join(work, 'cni.tgz');
    await download(url(`${mirror.bases.cni}/v${mirror.versions.cni}/cni-plugins-linux-amd64-v${mirror.versions.cni}.tgz`), tgz);
    const names = sh('tar', ['-tzf', tgz]).stdout.split('\n').filter(Boolean);
    for (const p of ['./bridge', './host-local', './loopback', './portmap']) expect(names).toContain(p);
    expect(names.every((n) => !n.slice(2).includes('/'))).toBe(true);
  });

  test('kubectl is Debian\'s; the stand-ins say what they are', () => {
    expect(sh(path.join(bin, 'kubectl'), ['version', '--client']).out).toContain(`GitVersion:"v${mirror.versions.kubernetes}"`);
    for (const b of ['kube-apiserver', ...AGENTS]) expect(sh(path.join(bin, b), ['--version']).out).toBe(`Kubernetes v${mirror.versions.kubernetes} (tsible stand-in)\n`);
    expect(sh(path.join(bin, 'flanneld'), ['--version']).out).toBe(`v${mirror.versions.flannel} (tsible stand-in)\n`);
  });
});

describe('etcd over TLS, the flanneld stand-in and the kube-apiserver stand-in', () => {
  let etcdUrl: string;
  const etcdCurl = (rel: string, extra: string[] = []) => curlTls(pki, 'etcd-ca', 'etcd-client', `${etcdUrl}${rel}`, extra);
  const flannelEnv = (subnetFile: string): NodeJS.ProcessEnv => ({
    FLANNELD_ETCD_ENDPOINTS: etcdUrl,
    FLANNELD_ETCD_CAFILE: path.join(pki, 'etcd-ca.pem'),
    FLANNELD_ETCD_CERTFILE: path.join(pki, 'etcd-client.pem'),
    FLANNELD_ETCD_KEYFILE: path.join(pki, 'etcd-client.key'),
    FLANNELD_ETCD_PREFIX: '/kubernetes-cluster/network',
    FLANNELD_IFACE: 'lo',
    FLANNELD_SUBNET_FILE: subnetFile,
    FLANNELD_STANDIN_LEASE_TTL: '4',
  });
  const readEnvFile = (f: string): Record<string, string> =>
    Object.fromEntries(fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => l.split('=') as [string, string]));
  const leases = (): { key: string; value: string; ttl: number }[] =>
    (JSON.parse(etcdCurl('/v2/keys/kubernetes-cluster/network/subnets?recursive=true').out).node?.nodes ?? []) as { key: string; value: string; ttl: number }[];

  beforeAll(async () => {
    const [client, peer] = [await freePort(), await freePort()];
    etcdUrl = `https://127.0.0.1:${client}`;
    daemon(path.join(bin, 'etcd'), [
      '--name', 'etcd0', '--data-dir', path.join(work, 'etcd-data'), '--enable-v2',
      '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `etcd0=http://127.0.0.1:${peer}`,
      '--cert-file', path.join(pki, 'etcd-server.pem'), '--key-file', path.join(pki, 'etcd-server.key'),
      '--trusted-ca-file', path.join(pki, 'etcd-ca.pem'), '--client-cert-auth',
    ]);
    await waitFor('etcd health over TLS', () => etcdCurl('/health').out.includes('"health":"true"'));
  }, 120_000);

  test('etcd refuses a client certificate of another CA', () => {
    expect(curlTls(pki, 'etcd-ca', 'intruder', `${etcdUrl}/health`).rc).not.toBe(0);
  });

  test('flanneld leases a /24 from the config stored in etcd, writes subnet.env, renews, and keeps its lease over a restart', async () => {
    const put = etcdCurl('/v2/keys/kubernetes-cluster/network/config', ['-X', 'PUT', '--data-urlencode', 'value={"Network": "10.200.0.0/16", "Backend": {"Type": "vxlan"}}']);
    expect(put.out).toContain('"action":"set"');
    const subnetFile = path.join(work, 'run', 'flannel', 'subnet.env');
    let flannel = daemon(path.join(bin, 'flanneld'), ['-ip-masq'], flannelEnv(subnetFile));
    const env = await waitFor('subnet.env', () => fs.existsSync(subnetFile) && readEnvFile(subnetFile));
    expect(env.FLANNEL_NETWORK).toBe('10.200.0.0/16');
    expect(env.FLANNEL_SUBNET).toMatch(/^10\.200\.(\d+)\.1\/24$/);
    expect(env.FLANNEL_MTU).toBe(String(65536 - 50));
    expect(env.FLANNEL_IPMASQ).toBe('true');
    const subnet = (env.FLANNEL_SUBNET as string).replace(/\.1\/24$/, '.0-24');
    const mine = leases().find((l) => l.key.endsWith(`/${subnet}`));
    expect(JSON.parse(mine?.value ?? '{}')).toEqual({ PublicIP: '127.0.0.1', BackendType: 'vxlan' });
    await new Promise((r) => setTimeout(r, 7000));
    expect(leases().find((l) => l.key.endsWith(`/${subnet}`))).toBeDefined();
    expect(flannel.output()).toContain('lease renewed');
    await flannel.stop();
    fs.rmSync(subnetFile);
    flannel = daemon(path.join(bin, 'flanneld'), [], flannelEnv(subnetFile));
    expect((await waitFor('subnet.env again', () => fs.existsSync(subnetFile) && readEnvFile(subnetFile))).FLANNEL_SUBNET).toBe(env.FLANNEL_SUBNET);

    const otherFile = path.join(work, 'node2', 'subnet.env');
    daemon(path.join(bin, 'flanneld'), ['--public-ip=127.0.0.2'], flannelEnv(otherFile));
    const other = await waitFor('second node subnet.env', () => fs.existsSync(otherFile) && readEnvFile(otherFile));
    expect(other.FLANNEL_SUBNET).not.toBe(env.FLANNEL_SUBNET);
    expect(other.FLANNEL_IPMASQ).toBe('false');
    expect(leases().map((l) => JSON.parse(l.value).PublicIP).sort()).toEqual(['127.0.0.1', '127.0.0.2']);
  }, 60_000);

  test('flanneld stops, naming the file, when a certificate is missing', async () => {
    const d = daemon(path.join(bin, 'flanneld'), [], { ...flannelEnv(path.join(work, 'x.env')), FLANNELD_ETCD_CERTFILE: '/nonexistent/client.pem' });
    expect(await d.exited).toBe(1);
    expect(d.output()).toContain('/nonexistent/client.pem');
  });

  describe('the kube-apiserver stand-in answering Debian\'s kubectl', () => {
    let apiArgs: string[];
    let apiUrl: string;
    let api: Daemon;
    const kubectl = (kubeconfig: string, ...args: string[]) =>
      sh(path.join(bin, 'kubectl'), ['--kubeconfig', path.join(work, `${kubeconfig}.kubeconfig`), ...args], { env: { HOME: path.join(work, 'home') } });
    const startApi = async () => {
      api = daemon(path.join(bin, 'kube-apiserver'), apiArgs);
      await waitFor('the API server', () => kubectl('admin', 'get', '--raw', '/healthz').out === 'ok');
    };

    beforeAll(async () => {
      const port = await freePort();
      const server = `https://127.0.0.1:${port}`;
      apiUrl = server;
      apiArgs = [
        `--secure-port=${port}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', '--allow-privileged=true',
        `--tls-cert-file=${pki}/apiserver.pem`, `--tls-private-key-file=${pki}/apiserver.key`, `--client-ca-file=${pki}/k8s-ca.pem`,
        `--etcd-servers=${etcdUrl}`, `--etcd-cafile=${pki}/etcd-ca.pem`, `--etcd-certfile=${pki}/etcd-client.pem`, `--etcd-keyfile=${pki}/etcd-client.key`,
        '--service-cluster-ip-range=10.32.0.0/24',
      ];
      writeKubeconfig(path.join(work, 'admin.kubeconfig'), server, pki, 'k8s-ca', 'admin');
      writeKubeconfig(path.join(work, 'intruder.kubeconfig'), server, pki, 'k8s-ca', 'intruder');
      await startApi();
    }, 60_000);

    test('/healthz and /version answer; a certificate the CA did not sign is refused; no certificate is unauthorized', () => {
      expect(kubectl('admin', 'version').out).toContain(`Server Version: version.Info{Major:"1", Minor:"20", GitVersion:"v${mirror.versions.kubernetes}"`);
      const intruder = kubectl('intruder', 'get', '--raw', '/healthz');
      expect(intruder.rc).not.toBe(0);
      expect(intruder.out).toContain('bad certificate');
      const anonymous = (rel: string) => sh('curl', ['-sS', '--cacert', `${pki}/k8s-ca.pem`, `${apiUrl}${rel}`]).out;
      expect(anonymous('/healthz')).toBe('ok');
      expect(JSON.parse(anonymous('/api/v1/namespaces'))).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
      expect(kubectl('admin', 'get', 'namespaces', '-o', 'name').out.split('\n').filter(Boolean).sort()).toEqual(
        ['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system'],
      );
    });

    test('kubectl apply: created, then unchanged; a change is configured once; objects outlive an API server restart', async () => {
      const manifest = (image: string) => {
        const f = path.join(work, 'kube-dns.yaml');
        fs.writeFileSync(f, fs.readFileSync(path.join(__dirname, 'fixtures', 'kube-dns.yaml'), 'utf8').replace('IMAGE', image));
        return f;
      };
      const apply = (image: string) => kubectl('admin', 'apply', '-f', manifest(image)).out.trim().split('\n');
      const objs = ['serviceaccount/kube-dns', 'configmap/kube-dns', 'deployment.apps/kube-dns', 'service/kube-dns'];
      expect(apply('dns:1.14.5')).toEqual(objs.map((o) => `${o} created`));
      expect(apply('dns:1.14.5')).toEqual(objs.map((o) => `${o} unchanged`));
      expect(apply('dns:1.14.6')).toEqual(objs.map((o) => `${o} ${o.startsWith('deployment') ? 'configured' : 'unchanged'}`));
      expect(apply('dns:1.14.6')).toEqual(objs.map((o) => `${o} unchanged`));
      expect(kubectl('admin', '-n', 'kube-system', 'get', 'deployment', 'kube-dns', '-o', 'jsonpath={.spec.template.spec.containers[0].image}').out).toBe('dns:1.14.6');
      expect(kubectl('admin', '-n', 'kube-system', 'get', 'service', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}').out).toBe('10.32.0.10');
      await api.stop();
      await startApi();
      expect(apply('dns:1.14.6')).toEqual(objs.map((o) => `${o} unchanged`));
      expect(kubectl('admin', 'apply', '-f', manifest('x'), '--namespace', 'nowhere').rc).not.toBe(0);
    }, 60_000);

    test('the older extensions/v1beta1 Deployment is accepted too', () => {
      const f = path.join(work, 'old.yaml');
      fs.writeFileSync(f, 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old, namespace: default}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: i}]}\n');
      expect(kubectl('admin', 'apply', '-f', f).out.trim()).toBe('deployment.extensions/old created');
      expect(kubectl('admin', 'apply', '-f', f).out.trim()).toBe('deployment.extensions/old unchanged');
    });
  });
});

describe('kubelet, kube-proxy, kube-controller-manager and kube-scheduler stand-ins', () => {
  test.each(AGENTS)('%s: exits naming a missing file, runs when its files exist', async (name) => {
    const kc = path.join(work, `${name}.kubeconfig`);
    writeKubeconfig(kc, 'https://127.0.0.1:6443', pki, 'k8s-ca', 'admin');
    const missing = daemon(path.join(bin, name), [`--kubeconfig=${path.join(work, 'absent.kubeconfig')}`]);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain('absent.kubeconfig');
    fs.writeFileSync(path.join(work, 'broken.kubeconfig'), fs.readFileSync(kc, 'utf8').replace('admin.key', 'gone.key'));
    const broken = daemon(path.join(bin, name), [`--kubeconfig=${path.join(work, 'broken.kubeconfig')}`]);
    expect(await broken.exited).toBe(1);
    expect(broken.output()).toContain('gone.key');
    const port = await freePort();
    const health: Record<string, string[]> = {
      kubelet: [`--healthz-port=${port}`, `--cni-conf-dir=${pki}`, `--cni-bin-dir=${bin}`, '--register-node'],
      'kube-proxy': [`--healthz-bind-address=127.0.0.1:${port}`, '--proxy-mode=iptables', '--masquerade-all'],
      'kube-controller-manager': [`--port=${port}`, `--root-ca-file=${pki}/k8s-ca.pem`, `--service-account-private-key-file=${pki}/k8s-ca.key`],
      'kube-scheduler': [`--port=${port}`, '--leader-elect=true'],
    };
    const ok = daemon(path.join(bin, name), [`--kubeconfig=${kc}`, ...(health[name] ?? [])]);
    expect((await waitFor(`${name} healthz`, async () => (await httpGet(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.body.toString())).valueOf()).toBe('ok');
    expect(ok.proc.exitCode).toBeNull();
    await ok.stop();
  }, 30_000);
});
