// The podman driver: the same Engine API driver on podman's Docker-compatible service socket
// (started with `podman system service` when no socket answers), reached with the docker
// connection pointed at that socket through ansible_docker_extra_args.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { engineClient } from '../../connection/docker/endpoint';
import { TsibleError } from '../../errors';
import type { BuildProgress } from '../images/progress';
import { EngineDriver } from './container/engine-driver';
import type { DriverRun } from './types';

export interface PodmanDriverOptions {
  env?: NodeJS.ProcessEnv;
  progress?: (run: DriverRun) => BuildProgress;
}

export function podmanAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return spawnSync('podman', ['--version'], { env, encoding: 'utf8' }).status === 0;
}

/** $TSIBLE_PODMAN_SOCKET, else the rootless or rootful socket path podman uses. */
export function podmanSocket(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSIBLE_PODMAN_SOCKET) return env.TSIBLE_PODMAN_SOCKET;
  const rootless = process.getuid?.() !== 0 && env.XDG_RUNTIME_DIR;
  return rootless ? path.join(env.XDG_RUNTIME_DIR as string, 'podman', 'podman.sock') : '/run/podman/podman.sock';
}

/** Starts podman's API service on the socket when nothing listens there (it exits after 10 idle minutes). */
async function ensureService(socket: string, env: NodeJS.ProcessEnv): Promise<void> {
  const client = engineClient({ host: `unix://${socket}` }, env);
  if (await client.ping().then(() => true, () => false)) return;
  if (!podmanAvailable(env)) throw new TsibleError('DRIVER', 'driver podman: the podman command is not installed (apt-get install podman)');
  fs.mkdirSync(path.dirname(socket), { recursive: true });
  const child = spawn('podman', ['system', 'service', '--time=600', `unix://${socket}`], { env, detached: true, stdio: 'ignore' });
  child.unref();
  for (let i = 0; i < 100; i++) {
    if (await client.ping().then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new TsibleError('DRIVER', `driver podman: 'podman system service' did not answer on ${socket}`);
}

class PodmanDriver extends EngineDriver {
  constructor(
    private readonly socket: string,
    private readonly env: NodeJS.ProcessEnv,
    progress?: (run: DriverRun) => BuildProgress,
  ) {
    super({
      name: 'podman',
      docker: engineClient({ host: `unix://${socket}` }, env),
      cli: 'podman',
      hostVars: { ansible_docker_extra_args: `-H unix://${socket}` },
      progress,
    });
  }

  override async create(...args: Parameters<EngineDriver['create']>): ReturnType<EngineDriver['create']> {
    await ensureService(this.socket, this.env);
    return super.create(...args);
  }

  override async destroy(...args: Parameters<EngineDriver['destroy']>): Promise<void> {
    await ensureService(this.socket, this.env);
    return super.destroy(...args);
  }
}

export function podmanDriver(opts: PodmanDriverOptions = {}): EngineDriver {
  const env = opts.env ?? process.env;
  return new PodmanDriver(podmanSocket(env), env, opts.progress);
}
