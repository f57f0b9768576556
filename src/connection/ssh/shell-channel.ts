// A long-lived `sh` on one exec channel of a host's ssh2 client, already switched to the become
// user when asked (sudo/su password exchange once, when the shell starts), for ShellSession.
import type { Client, ClientChannel } from 'ssh2';
import { TsibleError } from '../../errors';
import { BecomeSession, planBecome } from '../become';
import { shQuote } from '../quote';
import type { ShellProcess } from '../shell-session';
import type { BecomeOptions } from '../types';

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, SEGV: 11, PIPE: 13, ALRM: 14, TERM: 15 };

export interface ShellChannelTarget {
  hostname: string;
  /** The login user: become to this user is no become at all. */
  user: string;
  connectTimeoutSeconds: number;
}

export function connectionLost(hostname: string, detail?: string): TsibleError {
  return new TsibleError('CONNECTION', `Failed to connect to the host via ssh: ${detail ?? `Connection to ${hostname} closed by remote host.`}`);
}

function openChannel(client: Client, command: string, t: ShellChannelTarget): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (err, stream) => {
        if (!err) return resolve(stream);
        // the server said no to the channel (MaxSessions): the connection itself is fine
        reject(Object.assign(connectionLost(t.hostname, `${t.hostname}: channel open failed: ${err.message}`), { channelRefused: true }));
      });
    } catch (e) {
      // ssh2 throws synchronously when the socket is already gone
      reject(connectionLost(t.hostname, (e as Error).message === 'Not connected' ? undefined : (e as Error).message));
    }
  });
}

/**
 * Opens the channel running `sh` (through sudo/su when become applies) and, under become,
 * waits until the become user's shell has printed its marker: a wrong or missing password
 * rejects with the BECOME error, as a single command would have failed with it.
 */
export async function openShellChannel(client: Client, become: BecomeOptions | undefined, t: ShellChannelTarget): Promise<ShellProcess> {
  const plan = planBecome('exec /bin/sh', become, t.user);
  const stream = await openChannel(client, plan.marker ? `/bin/sh -c ${shQuote(plan.command)}` : 'exec /bin/sh', t);
  let exitCode: number | undefined;
  let closed = false;
  let lost = false;
  const exitListeners: ((rc: number) => void)[] = [];
  stream.on('exit', (code: number | null, signal?: string) => {
    exitCode = code ?? (signal ? 128 + (SIGNALS[signal] ?? 1) : 255);
  });
  stream.on('error', () => undefined);
  const ended = (clientGone: boolean) => {
    if (closed) return;
    closed = true;
    client.off('close', onClientClose);
    // no exit status: the connection went away under the shell
    if (clientGone || exitCode === undefined) lost = true;
    for (const l of exitListeners) l(exitCode ?? 255);
  };
  // the connection is gone: the channel can no longer be closed politely, only given up
  const onClientClose = () => ended(true);
  client.once('close', onClientClose);
  // ssh2 may emit 'exit' after 'close' when the packets arrive together: decide on the next turn
  stream.on('close', () => setImmediate(() => ended(false)));
  const shell: ShellProcess = {
    stdin: stream,
    stdout: stream,
    stderr: stream.stderr,
    kill: () => {
      try {
        stream.signal('KILL');
        stream.close();
      } catch {
        // already gone
      }
    },
    onExit: (listener) => {
      if (closed) listener(exitCode ?? 255);
      else exitListeners.push(listener);
    },
    lostReason: () => (lost ? connectionLost(t.hostname) : undefined),
  };
  if (!plan.marker) return shell;
  await becomeReady(stream, plan, become, t, shell);
  return shell;
}

/** Drives the password exchange until the marker; nothing is written after it (stdin stays open). */
function becomeReady(stream: ClientChannel, plan: ReturnType<typeof planBecome>, become: BecomeOptions | undefined, t: ShellChannelTarget, shell: ShellProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const session = new BecomeSession(
      plan,
      become,
      { writeStdin: (d) => stream.write(d), endStdin: () => undefined, abort: () => shell.kill() },
      undefined,
      Math.max(1, t.connectTimeoutSeconds) * 1000,
    );
    const onOut = (d: Buffer) => {
      session.onStdout(d);
      if (session.ready) done();
    };
    const onErr = (d: Buffer) => session.onStderr(d);
    const done = () => {
      stream.off('data', onOut);
      stream.stderr.off('data', onErr);
      resolve();
    };
    stream.on('data', onOut);
    stream.stderr.on('data', onErr);
    shell.onExit((rc) => {
      if (session.ready) return;
      stream.off('data', onOut);
      stream.stderr.off('data', onErr);
      const lost = shell.lostReason?.();
      if (lost && !session.failure) return reject(lost);
      reject(new TsibleError('BECOME', session.finish(rc) ?? `${plan.method} failed (rc=${rc})`));
    });
  });
}
