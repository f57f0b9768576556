// `tsible lab up|status|down`: the posts' cluster as systemd containers on one network through
// the docker driver, its inventory under inventories/<name>/, its state and keys under .tsible/.
import * as fs from 'fs';
import * as path from 'path';
import { engineClient } from '../connection/docker/endpoint';
import { runContainerExec } from '../connection/docker/exec';
import { TsibleError } from '../errors';
import { PLATFORM_LABEL, RUN_LABEL } from '../testing/drivers/container/names';
import { dockerDriver } from '../testing/drivers/docker';
import type { DriverRun } from '../testing/drivers/types';
import type { BuildProgress } from '../testing/images/progress';
import { renderLabInventory, type LabHost, type LabSshAccess } from './inventory';
import { enableLabSsh } from './ssh';
import { DEFAULT_LAB_SIZE, labNodes, labPlatform, type LabSize } from './topology';

export interface LabOptions {
  /** The project the inventory is written into (inventories/<name>/hosts.yml). */
  projectDir: string;
  /** Several labs can live side by side; containers are named tsible-<name>-<node>. */
  name?: string;
  log: (line: string) => void;
  progress?: (run: DriverRun) => BuildProgress;
  signal?: AbortSignal;
}

export interface LabUpOptions extends LabOptions {
  size?: Partial<LabSize>;
  ssh?: boolean;
  image?: string;
}

export interface LabUpResult {
  inventoryFile: string;
  hosts: LabHost[];
  ssh?: LabSshAccess;
}

export interface LabNodeStatus {
  name: string;
  group: string;
  container: string;
  /** running, exited, ... or missing */
  state: string;
  address?: string;
  /** systemctl is-system-running inside, when the container runs. */
  systemd?: string;
}

interface LabPaths {
  name: string;
  runId: string;
  inventoryFile: string;
  stateDir: string;
}

function labPaths(opts: LabOptions): LabPaths {
  const name = opts.name ?? 'lab';
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(name)) throw new TsibleError('BAD_OPTION', `lab name '${name}': letters, digits, '.', '_' and '-' only`);
  return {
    name,
    runId: `tsible-${name}`,
    inventoryFile: path.join(opts.projectDir, 'inventories', name, 'hosts.yml'),
    stateDir: path.join(opts.projectDir, '.tsible', `lab-${name}`),
  };
}

function driverRun(p: LabPaths, opts: LabOptions): DriverRun {
  return { runId: p.runId, scenarioDir: opts.projectDir, ephemeralDir: p.stateDir, log: opts.log, signal: opts.signal };
}

function sizeOf(given: Partial<LabSize> | undefined): LabSize {
  const size: LabSize = { ...DEFAULT_LAB_SIZE };
  for (const [k, v] of Object.entries(given ?? {})) if (v !== undefined) size[k as keyof LabSize] = v;
  for (const [k, v] of Object.entries(size)) {
    if (!Number.isInteger(v) || v < 0 || v > 20) throw new TsibleError('BAD_OPTION', `lab size: --${k} must be a whole number from 0 to 20 (got ${v})`);
  }
  if (size.etcd + size.masters + size.workers === 0) throw new TsibleError('BAD_OPTION', 'lab size: at least one node is needed');
  return size;
}

export async function labUp(opts: LabUpOptions): Promise<LabUpResult> {
  const p = labPaths(opts);
  const size = sizeOf(opts.size);
  const nodes = labNodes(size);
  const platforms = nodes.map((n) => labPlatform(n, opts.image));
  fs.mkdirSync(p.stateDir, { recursive: true });
  const docker = engineClient();
  const driver = dockerDriver({ progress: opts.progress });
  const instances = await driver.create(platforms, driverRun(p, opts));
  // a smaller lab than last time: the surplus nodes go, with their volumes
  const wanted = new Set(nodes.map((n) => n.name));
  for (const c of await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${p.runId}`] } })) {
    const node = c.Labels[PLATFORM_LABEL];
    if (node !== undefined && !wanted.has(node)) {
      opts.log(`lab: removing ${node} (not in the requested size)`);
      await docker.getContainer(c.Id).remove({ force: true, v: true });
      await docker.getVolume(`${p.runId}-${node}-docker`).remove().catch(() => undefined);
    }
  }
  const hosts: LabHost[] = nodes.map((node, i) => ({ node, container: String(instances[i]?.hostVars.ansible_host), address: instances[i]?.address }));
  const ssh = opts.ssh ? await enableLabSsh(docker, hosts, p.stateDir, p.name) : undefined;
  fs.mkdirSync(path.dirname(p.inventoryFile), { recursive: true });
  fs.writeFileSync(p.inventoryFile, renderLabInventory(p.name, hosts, ssh));
  fs.writeFileSync(path.join(p.stateDir, 'state.json'), JSON.stringify({ name: p.name, size, ssh: !!ssh, nodes }, null, 1) + '\n');
  return { inventoryFile: p.inventoryFile, hosts, ssh };
}

export async function labStatus(opts: LabOptions): Promise<LabNodeStatus[]> {
  const p = labPaths(opts);
  const docker = engineClient();
  const stateFile = path.join(p.stateDir, 'state.json');
  const recorded: Array<{ name: string; group: string }> = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')).nodes : [];
  const containers = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${p.runId}`] } });
  const names = [...new Set([...recorded.map((n) => n.name), ...containers.map((c) => c.Labels[PLATFORM_LABEL] ?? '').filter(Boolean)])];
  return Promise.all(
    names.map(async (name) => {
      const c = containers.find((x) => x.Labels[PLATFORM_LABEL] === name);
      const row: LabNodeStatus = {
        name,
        group: recorded.find((n) => n.name === name)?.group ?? '?',
        container: c?.Names[0]?.replace(/^\//, '') ?? `${p.runId}-${name}`,
        state: c?.State ?? 'missing',
        address: c ? Object.values(c.NetworkSettings.Networks)[0]?.IPAddress || undefined : undefined,
      };
      if (c?.State === 'running') {
        const r = await runContainerExec(docker, c.Id, { cmd: ['systemctl', 'is-system-running'], timeoutMs: 10_000 }).catch(() => undefined);
        row.systemd = r?.stdout.trim() || undefined;
      }
      return row;
    }),
  );
}

/** Removes the lab's containers, network and volumes, its inventory file and its state. Idempotent. */
export async function labDown(opts: LabOptions): Promise<void> {
  const p = labPaths(opts);
  await dockerDriver().destroy([], driverRun(p, opts));
  fs.rmSync(p.inventoryFile, { force: true });
  fs.rmSync(p.stateDir, { recursive: true, force: true });
  // directories `up` made, when nothing else is in them
  const invDir = path.dirname(p.inventoryFile);
  for (const dir of [invDir, path.dirname(invDir), path.dirname(p.stateDir)]) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  }
}
