// Sockets that are not a direct TCP connection: a ProxyCommand child process (its stdin and
// stdout carry the SSH stream) and a forwarded channel through an already open jump client.
import { spawn } from 'child_process';
import { Duplex } from 'stream';
import type { Client } from 'ssh2';

export function proxyCommandSocket(command: string): { sock: Duplex; close(): void } {
  // OpenSSH runs it with the user's shell via exec; /bin/sh is what ssh uses when SHELL is unset
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const sock = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.on('error', (e) => sock.destroy(e));
  child.on('exit', () => sock.push(null));
  return {
    sock,
    close: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** A direct-tcpip channel from the jump client to host:port, used as the next client's socket. */
export function forwardThrough(jump: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    jump.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      if (err) reject(Object.assign(new Error(`channel to ${host} port ${port} through the jump host failed: ${err.message}`), { code: 'ECONNREFUSED' }));
      else resolve(stream as unknown as Duplex);
    });
  });
}
