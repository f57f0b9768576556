// One platform of molecule.yml → the Engine API's container create request: Molecule's docker
// keys, plus what systemd as PID 1 needs, plus the closest this host allows to `privileged`.
import type Docker from 'dockerode';
import * as path from 'path';
import type { Platform } from '../types';
import { containerName, runLabels, volumeName } from './names';
import * as val from './platform-values';

/** The platform keys the container drivers read (groups/children belong to the harness). */
export const CONTAINER_PLATFORM_KEYS: readonly string[] = [
  'name', 'groups', 'children', 'image', 'pre_build_image', 'pull', 'dockerfile', 'buildargs', 'hostname',
  'override_command', 'command', 'entrypoint', 'tty', 'privileged', 'capabilities', 'security_opts',
  'cgroupns_mode', 'volumes', 'tmpfs', 'env', 'etc_hosts', 'networks', 'published_ports', 'exposed_ports',
  'network_mode', 'dns_servers', 'ulimits', 'sysctls', 'devices', 'user', 'working_dir', 'pid_mode', 'restart_policy',
  'systemd',
];

/** Molecule's keep-alive for images whose own command would exit (sh: not every image has bash). */
export const KEEP_ALIVE = ['/bin/sh', '-c', 'while true; do sleep 10000; done'];

/** What systemd as PID 1 needs on cgroup v1 and v2 hosts without --privileged. */
const SYSTEMD_TMPFS = ['/run', '/run/lock', '/tmp'];
const CGROUP_BIND = '/sys/fs/cgroup:/sys/fs/cgroup:rw';

export interface PlanContext {
  runId: string;
  scenarioDir: string;
  network: string;
  /** The image to run, already present locally, and its configured command. */
  image: string;
  imageConfig: { Cmd?: string[] | null; Entrypoint?: string[] | string | null };
  /** Whether the Engine accepts Privileged containers (false on hosts that refuse it). */
  privilegedAllowed: boolean;
}

export interface PlatformPlan {
  platform: Platform;
  container: string;
  create: Docker.ContainerCreateOptions;
  /** Named volumes (already run-scoped) to create before the container. */
  volumes: string[];
  networks: val.NetworkRef[];
  systemd: boolean;
  notices: string[];
}

function isInit(argv0: string | undefined): boolean {
  return !!argv0 && /^(init|systemd)$/.test(path.posix.basename(argv0));
}

function asList(v: string[] | string | null | undefined): string[] {
  return v === null || v === undefined ? [] : typeof v === 'string' ? [v] : v;
}

/** The Cmd to set (undefined: the image's own) following Molecule's command/override_command rules. */
function commandOf(p: Platform, ctx: PlanContext): string[] | undefined {
  if (!val.bool(p, 'override_command', true)) return undefined;
  if (p.command !== undefined && p.command !== null) return val.argv(p, 'command'); // "" → the image's
  const own = [...asList(ctx.imageConfig.Entrypoint), ...asList(ctx.imageConfig.Cmd)];
  return isInit(own[0]) ? undefined : KEEP_ALIVE;
}

/** `volumes` entries: binds stay, relative sources resolve from the scenario, names become run-scoped volumes. */
function binds(p: Platform, ctx: PlanContext, volumes: string[]): string[] {
  return val.stringList(p, 'volumes').map((spec) => {
    const parts = spec.split(':');
    if (parts.length === 1) return spec; // anonymous volume, removed with the container
    const [src, ...rest] = parts as [string, ...string[]];
    if (src.startsWith('/')) return spec;
    if (src.startsWith('.') || src.startsWith('~')) {
      const abs = src.startsWith('~') ? path.join(process.env.HOME ?? '/', src.slice(1)) : path.resolve(ctx.scenarioDir, src);
      return [abs, ...rest].join(':');
    }
    const scoped = volumeName(ctx.runId, src);
    if (!volumes.includes(scoped)) volumes.push(scoped);
    return [scoped, ...rest].join(':');
  });
}

function addUnique(list: string[], item: string, same: (x: string) => boolean = (x) => x === item): void {
  if (!list.some(same)) list.push(item);
}

export function planPlatform(p: Platform, ctx: PlanContext): PlatformPlan {
  const notices: string[] = [];
  const volumes: string[] = [];
  const container = containerName(ctx.runId, p.name);
  const cmd = commandOf(p, ctx);
  const entrypoint = val.argv(p, 'entrypoint');
  const effective = [...(entrypoint ?? asList(ctx.imageConfig.Entrypoint)), ...(cmd ?? asList(ctx.imageConfig.Cmd))];
  const systemd = val.bool(p, 'systemd', isInit(effective[0]));
  const privileged = val.bool(p, 'privileged', false);

  const env = Object.entries(val.stringDict(p, 'env')).map(([k, v]) => `${k}=${v}`);
  const capAdd = val.stringList(p, 'capabilities');
  const securityOpt = val.stringList(p, 'security_opts');
  const bindList = binds(p, ctx, volumes);
  const tmpfs: Record<string, string> = {};
  for (const t of val.stringList(p, 'tmpfs')) {
    const i = t.indexOf(':');
    tmpfs[i < 0 ? t : t.slice(0, i)] = i < 0 ? '' : t.slice(i + 1);
  }
  let cgroupns = val.optionalString(p, 'cgroupns_mode');

  if (systemd) {
    addUnique(capAdd, 'SYS_ADMIN');
    addUnique(securityOpt, 'seccomp=unconfined', (x) => x.startsWith('seccomp'));
    addUnique(env, 'container=docker', (x) => x.startsWith('container='));
    for (const t of SYSTEMD_TMPFS) if (!(t in tmpfs) && !bindList.some((b) => b.split(':')[1] === t)) tmpfs[t] = '';
    const cg = bindList.findIndex((b) => b.split(':')[1] === '/sys/fs/cgroup');
    if (cg < 0) bindList.push(CGROUP_BIND);
    else if (/:ro$/.test(bindList[cg] as string)) {
      bindList[cg] = CGROUP_BIND;
      notices.push(`platform '${p.name}': /sys/fs/cgroup is mounted read-write (systemd as PID 1 cannot start on a read-only one)`);
    }
    cgroupns ??= 'host';
  }
  if (privileged && !ctx.privilegedAllowed) {
    addUnique(capAdd, 'SYS_ADMIN');
    addUnique(capAdd, 'NET_ADMIN');
    addUnique(securityOpt, 'seccomp=unconfined', (x) => x.startsWith('seccomp'));
    addUnique(securityOpt, 'apparmor=unconfined', (x) => x.startsWith('apparmor'));
    notices.push(
      `platform '${p.name}': this Docker host refuses privileged containers; running it with SYS_ADMIN, NET_ADMIN, seccomp and apparmor unconfined${systemd ? ', the host cgroup namespace and /sys/fs/cgroup read-write' : ''} instead`,
    );
  }
  if (p.pre_build_image === false && p.dockerfile === undefined) {
    notices.push(`platform '${p.name}': pre_build_image: false — tsible needs no Python in the image, so '${String(p.image)}' is used as it is`);
  }

  const ports = val.publishedPorts(p);
  const exposed: Record<string, {}> = {};
  for (const e of [...val.exposedPorts(p), ...ports.map((b) => b.containerPort)]) exposed[e] = {};
  const portBindings: Record<string, Array<{ HostIp?: string; HostPort?: string }>> = {};
  for (const b of ports) (portBindings[b.containerPort] ??= []).push({ HostIp: b.hostIp, HostPort: b.hostPort ?? '' });
  const hostname = val.optionalString(p, 'hostname') ?? p.name;
  // network_mode (host, none, container:X) replaces the run's network: no aliases, no own hostname
  const networkMode = val.optionalString(p, 'network_mode');
  const ownNetwork = networkMode === undefined || networkMode === 'bridge' || networkMode === 'default';

  const create: Docker.ContainerCreateOptions = {
    name: container,
    Hostname: ownNetwork ? hostname.split('.')[0] : undefined,
    Domainname: ownNetwork && hostname.includes('.') ? hostname.slice(hostname.indexOf('.') + 1) : undefined,
    Image: ctx.image,
    Cmd: cmd,
    Entrypoint: entrypoint,
    Env: env,
    Tty: val.bool(p, 'tty', false),
    User: val.optionalString(p, 'user'),
    WorkingDir: val.optionalString(p, 'working_dir'),
    Labels: runLabels(ctx.runId, p.name),
    ExposedPorts: exposed,
    StopSignal: systemd ? 'SIGRTMIN+3' : undefined,
    HostConfig: <Docker.HostConfig & { CgroupnsMode?: string }>{
      Privileged: privileged && ctx.privilegedAllowed,
      CapAdd: capAdd,
      SecurityOpt: securityOpt,
      CgroupnsMode: cgroupns,
      Binds: bindList,
      Tmpfs: tmpfs,
      ExtraHosts: Object.entries(val.stringDict(p, 'etc_hosts', ':')).map(([h, ip]) => `${h}:${ip}`),
      PortBindings: portBindings,
      Dns: val.stringList(p, 'dns_servers'),
      Ulimits: val.ulimits(p),
      Sysctls: val.stringDict(p, 'sysctls'),
      Devices: val.devices(p),
      PidMode: val.optionalString(p, 'pid_mode'),
      RestartPolicy: { Name: val.optionalString(p, 'restart_policy') ?? 'no' },
      NetworkMode: ownNetwork ? ctx.network : networkMode,
    },
    NetworkingConfig: ownNetwork ? { EndpointsConfig: { [ctx.network]: { Aliases: [...new Set([p.name, hostname])] } } } : undefined,
  };
  return { platform: p, container, create, volumes, networks: ownNetwork ? val.networks(p) : [], systemd, notices };
}
