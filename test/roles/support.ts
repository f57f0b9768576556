// Shared set-up of the role tests: the Kubernetes artifact mirror served to the scenario
// containers (over the docker bridge's gateway address), and `tsible test roles/<name>` run the
// way a user runs it, with the mirror's URL in TSIBLE_K8S_MIRROR for the scenario's molecule.yml.
import { execFileSync, spawn } from 'child_process';
import * as path from 'path';
import { buildMirror, type Mirror } from '../k8s-mirror/build';
import { startMirrorServer, type MirrorServer } from '../k8s-mirror/server';

export const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'dist', 'cli', 'main.js');

/** Minutes a role's whole scenario may take (create to destroy) before the test gives up. */
export const SCENARIO_TIMEOUT_MS = 15 * 60_000;

export interface RoleRun {
  code: number | null;
  out: string;
  /** The summary table's cell per step of the role's default scenario ('-' when skipped). */
  steps: Record<string, string>;
}

/** The address containers on any docker network reach this machine at: the default bridge's gateway. */
export function dockerHostAddress(): string {
  const out = execFileSync('docker', ['network', 'inspect', 'bridge', '--format', '{{range .IPAM.Config}}{{.Gateway}} {{end}}'], { encoding: 'utf8' });
  const gateway = out.trim().split(/\s+/).find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
  if (!gateway) throw new Error(`no IPv4 gateway on docker's bridge network: ${out}`);
  return gateway;
}

export interface RoleMirror {
  server: MirrorServer;
  /** What a scenario's molecule.yml reads: TSIBLE_K8S_MIRROR (the server's URL) and the
   *  checksums of files whose upstream release publishes none (TSIBLE_K8S_FLANNELD_SHA256,
   *  TSIBLE_K8S_DOCKER_SHA256). */
  env: Record<string, string>;
  /** The roles' download variables pointing at the mirror (see roleMirrorVars). */
  vars: Record<string, string>;
}

/** The roles' download URL bases and the checksums no upstream publishes, for a mirror served at `url`. */
export function roleMirrorVars(url: string, mirror: Mirror): Record<string, string> {
  const sha256 = (rel: string): string => {
    const file = mirror.files.find((f) => f.path === rel);
    if (!file) throw new Error(`the mirror has no ${rel}`);
    return file.sha256;
  };
  const at = (base: string): string => `${url}/${base}`;
  return {
    etcd_download_url_base: at(mirror.bases.etcd),
    flannel_download_url_base: at(mirror.bases.flannel),
    flannel_checksum: `sha256:${sha256(`${mirror.bases.flannel}/v${mirror.versions.flannel}/flanneld-amd64`)}`,
    docker_download_url_base: at(mirror.bases.docker),
    docker_checksum: `sha256:${sha256(`${mirror.bases.docker}/docker-${mirror.versions.docker}.tgz`)}`,
    k8s_download_url_base: at('storage.googleapis.com/kubernetes-release/release'),
    k8s_cni_download_url_base: at(mirror.bases.cni),
  };
}

/** Builds the mirror (cached across runs) and serves it on all addresses, advertised at the bridge gateway. */
export async function startRoleMirror(): Promise<RoleMirror> {
  const mirror = buildMirror();
  const server = await startMirrorServer(mirror.root, { host: '0.0.0.0', port: 0, advertise: dockerHostAddress() });
  const vars = roleMirrorVars(server.url, mirror);
  const checksum = (name: string): string => (vars[name] ?? '').replace(/^sha256:/, '');
  return {
    server,
    vars,
    env: {
      TSIBLE_K8S_MIRROR: server.url,
      TSIBLE_K8S_FLANNELD_SHA256: checksum('flannel_checksum'),
      TSIBLE_K8S_DOCKER_SHA256: checksum('docker_checksum'),
    },
  };
}

/** Reads the summary table `tsible test` ends with: step name -> cell of the scenario's row. */
export function summarySteps(out: string, scenario: string): Record<string, string> {
  const rows = out.split('\n').filter((l) => l.startsWith('│')).map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));
  const header = rows.find((r) => r[0] === 'scenario');
  const row = rows.find((r) => r[0] === scenario);
  if (!header || !row) return {};
  return Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']));
}

/** Runs `tsible test [args] roles/<role>` with the mirror's variables set; resolves with the output and the summary. */
export function runRoleTest(role: string, mirror: RoleMirror | null, args: string[] = []): Promise<RoleRun> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...(mirror?.env ?? {}), NO_COLOR: '1' };
  delete env.ANSIBLE_FORCE_COLOR;
  const child = spawn(process.execPath, [CLI, 'test', ...args, path.join('roles', role)], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, steps: summarySteps(out, `${role}/default`) })));
}

/** A step passed when its summary cell is a duration (failed ones read "FAILED ...", skipped ones "-"). */
export function passedSteps(run: RoleRun): string[] {
  return Object.entries(run.steps).filter(([, cell]) => /^\d+(\.\d+)?(ms|s|m)/.test(cell)).map(([name]) => name);
}

/** The output's tail for a failure message: the end of a long run is where the reason is. */
export function tail(out: string, lines = 80): string {
  return out.split('\n').slice(-lines).join('\n');
}
