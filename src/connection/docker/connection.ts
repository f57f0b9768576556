// The docker connection (ansible_connection: docker / community.docker.docker): scripts run
// and files move through the Engine API's exec (one hijacked stream each), no process per command.
import type Docker from 'dockerode';
import { TsibleError } from '../../errors';
import { wrapBecome } from '../become';
import { shQuote } from '../quote';
import type { Connection, ConnectionOptions, ExecOptions, ExecResult } from '../types';
import { engineClient, parseDockerExtraArgs } from './endpoint';
import { runContainerExec } from './exec';

interface Target {
  id: string;
  /** The user commands run as: ansible_user, else the container's configured user, else root. */
  user: string;
}

function apiStatus(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { statusCode?: unknown }).statusCode === 'number'
    ? (e as { statusCode: number }).statusCode
    : undefined;
}

function apiMessage(e: unknown): string {
  const json = (e as { json?: { message?: string } }).json;
  if (json && typeof json.message === 'string') return json.message;
  return e instanceof Error ? e.message : String(e);
}

/** `export K=V` lines put inside the (become-wrapped) script, so the environment survives sudo. */
function exportsOf(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${shQuote(v)}\n`)
    .join('');
}

export class DockerConnection implements Connection {
  readonly transport = 'docker' as const;
  readonly host: string;
  private readonly docker: Docker;
  private readonly containerName: string;
  private target?: Promise<Target>;

  constructor(private readonly options: ConnectionOptions, docker?: Docker) {
    this.host = options.host;
    this.containerName = options.container ?? options.address ?? options.host;
    this.docker = docker ?? engineClient(parseDockerExtraArgs(options.dockerExtraArgs));
  }

  /** Inspects the container once: it must exist and run; its id and user serve every later call. */
  private connect(): Promise<Target> {
    this.target ??= this.inspect();
    return this.target;
  }

  private async inspect(): Promise<Target> {
    try {
      const info = await this.docker.getContainer(this.containerName).inspect();
      if (info.State.Paused) throw new TsibleError('CONNECTION', `The container "${this.containerName}" has been paused`);
      if (!info.State.Running) throw new TsibleError('CONNECTION', `The container "${this.containerName}" is not running`);
      const configured = (info.Config.User || '').split(':')[0] || 'root';
      return { id: info.Id, user: this.options.user || (configured === '0' ? 'root' : configured) };
    } catch (e) {
      this.target = undefined; // a later task may find it started
      if (e instanceof TsibleError) throw e;
      if (apiStatus(e) === 404) throw new TsibleError('CONNECTION', `Could not find container "${this.containerName}" (${apiMessage(e)})`);
      throw new TsibleError('CONNECTION', `Failed to connect to the Docker Engine for container "${this.containerName}": ${apiMessage(e)}`);
    }
  }

  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const target = await this.connect();
    const env = { ...this.options.environment, ...opts.env };
    const wrapped = wrapBecome(exportsOf(env) + script, opts.become ?? this.options.become, target.user);
    // the target-side `timeout` kills the command; the controller stops waiting a little later
    const cmd = opts.timeoutMs
      ? ['timeout', '-k', '1', `${Math.max(1, Math.ceil(opts.timeoutMs / 1000))}`, '/bin/sh', '-c', wrapped]
      : ['/bin/sh', '-c', wrapped];
    try {
      return await runContainerExec(this.docker, target.id, {
        cmd,
        stdin: opts.stdin,
        user: this.options.user || undefined,
        workingDir: opts.cwd,
        timeoutMs: opts.timeoutMs ? opts.timeoutMs + 3000 : undefined,
      });
    } catch (e) {
      this.target = undefined;
      throw new TsibleError('CONNECTION', `docker exec in "${this.containerName}" failed: ${apiMessage(e)}`);
    }
  }

  // Files move through exec (stdin into `cat`, `cat` to stdout) rather than the archive
  // endpoints: those read and write the container's filesystem as created, under the tmpfs
  // mounts (/tmp, /run of systemd containers) and any mount made inside it, so a file put there
  // would be invisible to the commands that follow.
  async put(content: Buffer | string, remotePath: string): Promise<void> {
    const r = await this.exec(`cat > ${shQuote(remotePath)}`, { stdin: content });
    if (r.rc !== 0) throw new TsibleError('CONNECTION', `could not write ${remotePath}: ${r.stderr.trim()}`);
  }

  async fetch(remotePath: string): Promise<Buffer> {
    const r = await this.exec(`cat ${shQuote(remotePath)}`);
    if (r.rc !== 0) throw new TsibleError('CONNECTION', `could not read ${remotePath}: ${r.stderr.trim()}`);
    return r.stdoutBytes;
  }

  async close(): Promise<void> {
    this.target = undefined; // nothing persistent: each request uses its own socket
  }
}
