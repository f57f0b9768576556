// One persistent connection per host for the whole run, opened on first use.
import { TsibleError } from '../errors';
import type { DockerConnection } from './docker/connection';
import { LocalConnection } from './local';
import type { Connection, ConnectionOptions } from './types';

/** Loaded on first use: the Engine API client costs ~0.3 s to load, which local runs never need. */
function dockerConnectionClass(): typeof DockerConnection {
  return (require('./docker/connection') as typeof import('./docker/connection')).DockerConnection;
}

export class ConnectionPool {
  private readonly open = new Map<string, Connection>();

  /** The host's connection; `transport` is ansible_connection after templating. */
  get(transport: string, options: ConnectionOptions): Connection {
    const key = `${transport}|${options.host}|${options.user ?? ''}`;
    const existing = this.open.get(key);
    if (existing) return existing;
    let conn: Connection;
    switch (transport) {
      case 'local':
        conn = new LocalConnection(options);
        break;
      case 'docker':
      case 'community.docker.docker':
      case 'community.docker.docker_api':
        conn = new (dockerConnectionClass())(options);
        break;
      default:
        throw new TsibleError(
          'CONNECTION',
          `Failed to connect to the host via ${transport}: the '${transport}' connection is not available in this version of tsible (use -c local or ansible_connection=local)`,
        );
    }
    this.open.set(key, conn);
    return conn;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((c) => c.close()));
    this.open.clear();
  }
}
