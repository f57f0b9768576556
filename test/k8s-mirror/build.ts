// Builds the artifact mirror the Kubernetes roles are tested with: release-shaped archives at
// the projects' own URL paths (<mirror>/<host>/<path>), made from Debian's packages where Debian
// has the program (etcd, docker/containerd/runc, CNI plugins, kubectl) and from the Go stand-ins
// in ./standins where it does not (flanneld, kube-apiserver, kube-controller-manager,
// kube-scheduler, kubelet, kube-proxy), with checksum files where the projects publish them.
// The result is cached by package versions and stand-in sources.
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The Debian packages the mirror is made from. */
const PACKAGES = [
  'etcd-server', 'etcd-client', 'docker.io', 'containerd', 'runc', 'tini', 'containernetworking-plugins', 'kubernetes-client',
  'libdevmapper1.02.1',
] as const;

/** Releases the stand-ins are published as (Kubernetes follows Debian's kubectl, so both come from one release directory). */
export const STANDIN_FLANNEL_VERSION = '0.9.1';
const STANDINS_DIR = path.join(__dirname, 'standins');
const BUILDER_REVISION = '1';

export interface MirrorVersions {
  etcd: string;
  docker: string;
  cni: string;
  kubernetes: string;
  flannel: string;
}

export interface MirrorFile {
  /** Path under the mirror root, i.e. the public URL without its scheme. */
  path: string;
  sha256: string;
  /** Built from a stand-in rather than the real program. */
  standIn: boolean;
}

export interface Mirror {
  root: string;
  versions: MirrorVersions;
  files: MirrorFile[];
  /** Public release URL bases (as role defaults would use) by artifact, relative to the mirror root. */
  bases: Record<'etcd' | 'docker' | 'cni' | 'kubernetes' | 'flannel', string>;
}

export function defaultCacheDir(): string {
  return process.env.TSIBLE_K8S_MIRROR_CACHE ?? '/var/cache/tsible-k8s-mirror';
}

const run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts });

/** Upstream version of a Debian version: no epoch, no Debian revision, "+really" honoured. */
export function upstreamVersion(debian: string): string {
  const noEpoch = debian.replace(/^\d+:/, '');
  const really = /\+really([^-+~]+)/.exec(noEpoch);
  if (really?.[1]) return really[1];
  return noEpoch.split(/[-+~]/)[0] ?? noEpoch;
}

function debFile(dir: string, pkg: string): string | undefined {
  return fs.readdirSync(dir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
}

/** Downloads the packages' .deb files (apt-get download) unless already there; returns pkg → .deb path. */
function fetchDebs(dir: string): Map<string, string> {
  fs.mkdirSync(dir, { recursive: true });
  const missing = PACKAGES.filter((p) => !debFile(dir, p));
  if (missing.length) run('apt-get', ['download', ...missing], { cwd: dir });
  const out = new Map<string, string>();
  for (const p of PACKAGES) {
    const f = debFile(dir, p);
    if (!f) throw new Error(`apt-get download did not fetch ${p}`);
    out.set(p, path.join(dir, f));
  }
  return out;
}

function sourcesDigest(debs: Map<string, string>): string {
  const h = crypto.createHash('sha256').update(BUILDER_REVISION).update(fs.readFileSync(__filename));
  for (const f of [...debs.values()].sort()) h.update(path.basename(f));
  for (const f of fs.readdirSync(STANDINS_DIR).sort()) h.update(f).update(fs.readFileSync(path.join(STANDINS_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A reproducible gzipped tar of `entries` (relative to `cwd`), owned by root. */
function tarGz(cwd: string, out: string, entries: string[]): void {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tarFile = out.replace(/\.(tar\.gz|tgz)$/, '.tar');
  run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-C', cwd, '-cf', tarFile, ...entries]);
  run('gzip', ['-n', '-f', tarFile]);
  fs.renameSync(`${tarFile}.gz`, out);
}

function copyExecutable(src: string, dest: string): void {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(fs.realpathSync(src), dest);
  fs.chmodSync(dest, 0o755);
}

function buildStandins(outFile: string, gocache: string, versions: MirrorVersions): void {
  run('go', ['build', '-trimpath', '-ldflags', `-s -w -X main.k8sVersion=v${versions.kubernetes} -X main.flannelVersion=v${versions.flannel}`, '-o', outFile, '.'], {
    cwd: STANDINS_DIR,
    env: { ...process.env, CGO_ENABLED: '0', GOCACHE: gocache, GOPROXY: 'off', GOFLAGS: '-mod=mod', GOPATH: path.join(gocache, 'gopath') },
  });
}

const README_FROM_DEBIAN = (what: string, pkgs: string): string =>
  `${what}, repacked by the tsible test mirror in the layout of the upstream release from Debian 12's packages (${pkgs}).\n` +
  `These are Debian's builds, dynamically linked against Debian 12's libc.\n`;

/** Builds (or reuses) the mirror; `cacheDir` keeps the .deb files, the Go build cache and built mirrors. */
export function buildMirror(cacheDir: string = defaultCacheDir()): Mirror {
  const debs = fetchDebs(path.join(cacheDir, 'debs'));
  const debVersion = (p: string): string => run('dpkg-deb', ['-f', debs.get(p) as string, 'Version']).trim();
  const versions: MirrorVersions = {
    etcd: upstreamVersion(debVersion('etcd-server')),
    docker: upstreamVersion(debVersion('docker.io')),
    cni: upstreamVersion(debVersion('containernetworking-plugins')),
    kubernetes: upstreamVersion(debVersion('kubernetes-client')),
    flannel: STANDIN_FLANNEL_VERSION,
  };
  const bases = {
    etcd: 'github.com/etcd-io/etcd/releases/download',
    docker: 'download.docker.com/linux/static/stable/x86_64',
    cni: 'github.com/containernetworking/plugins/releases/download',
    kubernetes: 'dl.k8s.io/release',
    flannel: 'github.com/flannel-io/flannel/releases/download',
  };
  const root = path.join(cacheDir, `mirror-${sourcesDigest(debs)}`);
  const indexFile = path.join(root, 'index.json');
  if (fs.existsSync(indexFile)) return JSON.parse(fs.readFileSync(indexFile, 'utf8')) as Mirror;

  const work = fs.mkdtempSync(path.join(cacheDir, 'work-'));
  const staging = path.join(work, 'mirror');
  try {
    const x = (pkg: string): string => {
      const dir = path.join(work, 'deb', pkg);
      fs.mkdirSync(dir, { recursive: true });
      run('dpkg-deb', ['-x', debs.get(pkg) as string, dir]);
      return dir;
    };
    const files: MirrorFile[] = [];
    const add = (rel: string, standIn = false): string => {
      files.push({ path: rel, sha256: sha256(path.join(staging, rel)), standIn });
      return rel;
    };
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(staging, rel)), { recursive: true });
      fs.writeFileSync(path.join(staging, rel), text);
    };

    // etcd: etcd-vX-linux-amd64.tar.gz holding etcd-vX-linux-amd64/{etcd,etcdctl}, and SHA256SUMS
    const etcdName = `etcd-v${versions.etcd}-linux-amd64`;
    const etcdDir = path.join(work, 'etcd', etcdName);
    copyExecutable(path.join(x('etcd-server'), 'usr/bin/etcd'), path.join(etcdDir, 'etcd'));
    copyExecutable(path.join(x('etcd-client'), 'usr/bin/etcdctl'), path.join(etcdDir, 'etcdctl'));
    fs.writeFileSync(path.join(etcdDir, 'README.md'), README_FROM_DEBIAN(`etcd ${versions.etcd}`, 'etcd-server, etcd-client'));
    const etcdRel = `${bases.etcd}/v${versions.etcd}/${etcdName}.tar.gz`;
    tarGz(path.join(work, 'etcd'), path.join(staging, etcdRel), [etcdName]);
    write(`${bases.etcd}/v${versions.etcd}/SHA256SUMS`, `${sha256(path.join(staging, etcdRel))}  ${etcdName}.tar.gz\n`);
    add(etcdRel);
    add(`${bases.etcd}/v${versions.etcd}/SHA256SUMS`);

    // docker: docker-X.tgz holding docker/{docker,dockerd,docker-proxy,docker-init,containerd*,ctr,runc}
    const dockerDir = path.join(work, 'docker', 'docker');
    const dockerIo = x('docker.io');
    const containerd = x('containerd');
    copyExecutable(path.join(dockerIo, 'usr/bin/docker'), path.join(dockerDir, 'docker'));
    copyExecutable(path.join(dockerIo, 'usr/sbin/dockerd'), path.join(dockerDir, 'dockerd'));
    copyExecutable(path.join(dockerIo, 'usr/sbin/docker-proxy'), path.join(dockerDir, 'docker-proxy'));
    copyExecutable(path.join(x('tini'), 'usr/bin/tini-static'), path.join(dockerDir, 'docker-init'));
    for (const b of ['containerd', 'containerd-shim', 'containerd-shim-runc-v1', 'containerd-shim-runc-v2', 'ctr']) {
      copyExecutable(path.join(containerd, 'usr/bin', b), path.join(dockerDir, b));
    }
    copyExecutable(path.join(x('runc'), 'usr/sbin/runc'), path.join(dockerDir, 'runc'));
    // Debian's dockerd links libdevmapper, which a minimal system lacks: it travels beside dockerd
    fs.copyFileSync(path.join(x('libdevmapper1.02.1'), 'lib/x86_64-linux-gnu/libdevmapper.so.1.02.1'), path.join(dockerDir, 'libdevmapper.so.1.02.1'));
    run('patchelf', ['--set-rpath', '$ORIGIN', path.join(dockerDir, 'dockerd')]);
    fs.writeFileSync(
      path.join(dockerDir, 'README.md'),
      README_FROM_DEBIAN(`Docker ${versions.docker}`, 'docker.io, containerd, runc, tini, libdevmapper1.02.1') +
        'dockerd finds libdevmapper.so.1.02.1 in its own directory (its RUNPATH is $ORIGIN): keep them together.\n',
    );
    const dockerRel = `${bases.docker}/docker-${versions.docker}.tgz`;
    tarGz(path.join(work, 'docker'), path.join(staging, dockerRel), ['docker']);
    add(dockerRel);

    // CNI plugins: a flat tgz of the plugins, with .sha256 and .sha512 files
    const cniName = `cni-plugins-linux-amd64-v${versions.cni}.tgz`;
    const cniSrc = path.join(x('containernetworking-plugins'), 'usr/lib/cni');
    const cniDir = path.join(work, 'cni');
    const plugins = fs.readdirSync(cniSrc).sort();
    for (const p of plugins) copyExecutable(path.join(cniSrc, p), path.join(cniDir, p));
    const cniRel = `${bases.cni}/v${versions.cni}/${cniName}`;
    tarGz(cniDir, path.join(staging, cniRel), plugins.map((p) => `./${p}`));
    const cniBytes = fs.readFileSync(path.join(staging, cniRel));
    write(`${cniRel}.sha256`, `${crypto.createHash('sha256').update(cniBytes).digest('hex')}  ${cniName}\n`);
    write(`${cniRel}.sha512`, `${crypto.createHash('sha512').update(cniBytes).digest('hex')}  ${cniName}\n`);
    add(cniRel);
    add(`${cniRel}.sha256`);
    add(`${cniRel}.sha512`);

    // Kubernetes: bare binaries under release/vX/bin/linux/amd64/ with .sha256 files holding the hash only
    const k8sDir = `${bases.kubernetes}/v${versions.kubernetes}/bin/linux/amd64`;
    const standins = path.join(work, 'k8s-standins');
    buildStandins(standins, path.join(cacheDir, 'gocache'), versions);
    const k8sBinary = (name: string, src: string, standIn: boolean): void => {
      copyExecutable(src, path.join(staging, k8sDir, name));
      write(`${k8sDir}/${name}.sha256`, `${sha256(path.join(staging, k8sDir, name))}\n`);
      add(`${k8sDir}/${name}`, standIn);
      add(`${k8sDir}/${name}.sha256`, standIn);
    };
    k8sBinary('kubectl', path.join(x('kubernetes-client'), 'usr/bin/kubectl'), false);
    for (const b of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy']) k8sBinary(b, standins, true);

    // flannel: flanneld-amd64 and flannel-vX-linux-amd64.tar.gz (flanneld, mk-docker-opts.sh missing: not needed by the roles)
    const flannelRel = `${bases.flannel}/v${versions.flannel}`;
    copyExecutable(standins, path.join(staging, flannelRel, 'flanneld-amd64'));
    add(`${flannelRel}/flanneld-amd64`, true);
    const flannelTar = path.join(work, 'flannel');
    copyExecutable(standins, path.join(flannelTar, 'flanneld'));
    fs.writeFileSync(path.join(flannelTar, 'README.md'), 'flanneld here is the tsible test stand-in (test/k8s-mirror/standins/flanneld.go), not flannel.\n');
    tarGz(flannelTar, path.join(staging, flannelRel, `flannel-v${versions.flannel}-linux-amd64.tar.gz`), ['flanneld', 'README.md']);
    add(`${flannelRel}/flannel-v${versions.flannel}-linux-amd64.tar.gz`, true);

    const mirror: Mirror = { root, versions, files, bases };
    fs.writeFileSync(path.join(staging, 'index.json'), JSON.stringify(mirror, null, 1) + '\n');
    fs.rmSync(root, { recursive: true, force: true });
    fs.renameSync(staging, root);
    return mirror;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
