// Which transport a host gets, and one persistent connection per host for the whole run,
// opened on first use. Beyond `maxIdle` open connections, a host's is closed when its task ends.
import * as fs from 'fs';
import { TsibleError } from '../errors';
import { LocalConnection } from './local';
import type { SettingsEnv } from './ssh/settings';
import type { Connection, ConnectionOptions } from './types';

// The ssh and docker transports (ssh2, dockerode) load on first use: a run that needs
// neither starts ~0.3 s sooner.
type SshModule = typeof import('./ssh/connection');
type DockerModule = typeof import('./docker/connection');
const sshModule = (): SshModule => require('./ssh/connection') as SshModule;
const dockerModule = (): DockerModule => require('./docker/connection') as DockerModule;

export interface PoolOptions {
  /** Prints a warning once (unhonoured OpenSSH options, keys added to known_hosts). */
  warn?: (message: string) => void;
  /** Open SSH connections kept between tasks; past it, idle ones are closed (default 1024, at most a quarter of the open-file limit). */
  maxIdle?: number;
  env?: SettingsEnv;
}

/** 1024, or a quarter of the open-file limit where that is lower: a kept connection holds a socket, and forks more are in flight. */
function defaultMaxIdle(): number {
  try {
    const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) && soft > 0 ? Math.max(16, Math.min(1024, Math.floor(soft / 4))) : 1024;
  } catch {
    return 1024; // not Linux
  }
}

/** ansible_connection names that mean the ssh2 transport. */
const SSH_NAMES = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh']);

export class ConnectionPool {
  private readonly open = new Map<string, Connection>();
  private readonly warned = new Set<string>();
  private readonly maxIdle: number;
  private envCache?: SettingsEnv;

  constructor(private readonly opts: PoolOptions = {}) {
    this.maxIdle = opts.maxIdle ?? defaultMaxIdle();
  }

  private get env(): SettingsEnv {
    this.envCache ??= this.opts.env ?? sshModule().defaultSettingsEnv();
    return this.envCache;
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.opts.warn?.(message);
  }

  /** The host's connection; `transport` is ansible_connection after templating. */
  get(transport: string, options: ConnectionOptions): Connection {
    const kind = SSH_NAMES.has(transport) ? 'ssh' : transport === 'ansible.builtin.local' ? 'local' : transport;
    const key = `${kind}|${options.host}|${options.address ?? ''}|${options.port ?? ''}|${options.user ?? ''}`;
    const existing = this.open.get(key);
    if (existing) return existing;
    let conn: Connection;
    switch (kind) {
      case 'local':
        conn = new LocalConnection(options);
        break;
      case 'docker':
      case 'community.docker.docker':
      case 'community.docker.docker_api':
        conn = new (dockerModule().DockerConnection)(options);
        break;
      case 'ssh': {
        const ssh = new (sshModule().SshConnection)(options, { env: this.env, warn: (m) => this.warnOnce(m) });
        for (const u of ssh.settings.unhonoured) {
          this.warnOnce(`tsible does not honour the OpenSSH option '${u.option}' (from ${u.source}); it is ignored`);
        }
        conn = ssh;
        break;
      }
      default:
        throw new TsibleError(
          'CONNECTION',
          `Failed to connect to the host via ${transport}: the '${transport}' connection is not available in this version of tsible (use ssh, local or ansible_connection=local)`,
        );
    }
    this.open.set(key, conn);
    return conn;
  }

  /**
   * A task is done with a connection. Past maxIdle open SSH connections the one just used is
   * closed (it reconnects on its next task): with hosts visited in the same order every task,
   * closing the most recently used keeps the first maxIdle hosts connected throughout.
   */
  async release(conn: Connection): Promise<void> {
    if (conn.transport !== 'ssh') return;
    const { SshConnection } = sshModule();
    if (!(conn instanceof SshConnection) || conn.busy > 0 || !conn.isOpen) return;
    let openCount = 0;
    for (const c of this.open.values()) if (c instanceof SshConnection && c.isOpen) openCount++;
    if (openCount > this.maxIdle) await conn.close();
  }

  /** meta: reset_connection: the host's connections close; the next task reconnects. */
  async reset(host: string): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, c] of this.open) {
      if (c.host !== host) continue;
      closing.push(c.close());
      this.open.delete(key);
    }
    await Promise.all(closing);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((c) => c.close()));
    this.open.clear();
  }
}
