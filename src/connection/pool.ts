// Which transport a host gets, and one persistent connection per host for the whole run,
// opened on first use. Beyond `maxIdle` open connections, a host's is closed when its task ends.
import { TsibleError } from '../errors';
import type { DockerConnection } from './docker/connection';
import { LocalConnection } from './local';
import { defaultSettingsEnv, SshConnection } from './ssh/connection';
import type { SettingsEnv } from './ssh/settings';
import type { Connection, ConnectionOptions } from './types';

/** Loaded on first use: the Engine API client costs ~0.3 s to load, which local runs never need. */
function dockerConnectionClass(): typeof DockerConnection {
  return (require('./docker/connection') as typeof import('./docker/connection')).DockerConnection;
}

export interface PoolOptions {
  /** Prints a warning once (unhonoured OpenSSH options, keys added to known_hosts). */
  warn?: (message: string) => void;
  /** Open SSH connections kept between tasks; past it, idle ones are closed (default 1024). */
  maxIdle?: number;
  env?: SettingsEnv;
}

/** ansible_connection names that mean the ssh2 transport. */
const SSH_NAMES = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh']);

export class ConnectionPool {
  private readonly open = new Map<string, Connection>();
  private readonly warned = new Set<string>();
  private readonly maxIdle: number;
  private readonly env: SettingsEnv;

  constructor(private readonly opts: PoolOptions = {}) {
    this.maxIdle = opts.maxIdle ?? 1024;
    this.env = opts.env ?? defaultSettingsEnv();
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
        conn = new (dockerConnectionClass())(options);
        break;
      case 'ssh': {
        const ssh = new SshConnection(options, { env: this.env, warn: (m) => this.warnOnce(m) });
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
