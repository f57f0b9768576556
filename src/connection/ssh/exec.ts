// One command on an exec channel: the script in /bin/sh (as Ansible wraps it), environment and
// working directory, become with its password exchange, stdin, exit status, timeout, -vvv line.
import type { Client, ClientChannel } from 'ssh2';
import { TsibleError } from '../../errors';
import { BecomeSession, planBecome } from '../become';
import { shQuote } from '../quote';
import { CommandTrace } from '../trace';
import type { ExecOptions, ExecResult } from '../types';

export interface ChannelTarget {
  /** ansible_host: how the -vvv lines name the host. */
  alias: string;
  /** ansible_user as given (None when unset), for the ESTABLISH line. */
  userAsGiven?: string;
  /** ssh's arguments as Ansible would run it, for the EXEC line. */
  traceArgs: string[];
  hostname: string;
  port: number;
  user: string;
  connectTimeoutSeconds: number;
}

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, SEGV: 11, PIPE: 13, ALRM: 14, TERM: 15 };
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The script with the task's environment exported and its working directory entered. */
export function scriptWithContext(script: string, opts: ExecOptions): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(opts.env ?? {})) if (NAME_RE.test(k)) lines.push(`export ${k}=${shQuote(v)}`);
  if (opts.cwd) lines.push(`cd ${shQuote(opts.cwd)} || exit 1`);
  return lines.length ? `${lines.join('\n')}\n${script}` : script;
}

function connectionLost(t: ChannelTarget, detail?: string): TsibleError {
  return new TsibleError('CONNECTION', `Failed to connect to the host via ssh: ${detail ?? `Connection to ${t.hostname} closed by remote host.`}`);
}

/** Opens the channel; `exit` is watched from the first moment (ssh2 may emit it with the open). */
function openChannel(client: Client, command: string, t: ChannelTarget): Promise<{ stream: ClientChannel; exit: { rc?: number } }> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (err, stream) => {
        if (err) return reject(connectionLost(t, `${t.hostname}: channel open failed: ${err.message}`));
        const exit: { rc?: number } = {};
        stream.on('exit', (code: number | null, signal?: string) => {
          exit.rc = code ?? (signal ? 128 + (SIGNALS[signal] ?? 1) : 255);
        });
        resolve({ stream, exit });
      });
    } catch (e) {
      // ssh2 throws synchronously when the socket is already gone
      reject(connectionLost(t, (e as Error).message === 'Not connected' ? undefined : (e as Error).message));
    }
  });
}

export async function runChannel(client: Client, script: string, opts: ExecOptions, t: ChannelTarget): Promise<ExecResult> {
  const plan = planBecome(scriptWithContext(script, opts), opts.become, t.user);
  const command = `/bin/sh -c ${shQuote(plan.command)}`;
  const trace = opts.trace ? new CommandTrace(t.alias, opts.trace, opts.noLog === true) : undefined;
  trace?.establishSsh(t.userAsGiven);
  trace?.sshExec(t.traceArgs, command);
  const { stream, exit } = await openChannel(client, command, t);
  return new Promise<ExecResult>((resolve, reject) => {
    let timedOut = false;
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      client.off('close', onClientClose);
      f();
    };
    const session = new BecomeSession(
      plan,
      opts.become,
      {
        writeStdin: (d) => stream.write(d),
        endStdin: () => stream.end(),
        abort: () => stream.close(),
      },
      opts.stdin,
      plan.marker ? Math.max(1, t.connectTimeoutSeconds) * 1000 : 0,
    );
    // the connection is gone: the channel can no longer be closed politely, only given up
    const onClientClose = () => settle(() => reject(connectionLost(t, undefined)));
    client.once('close', onClientClose);
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          stream.signal('KILL');
          stream.close();
        }, opts.timeoutMs)
      : undefined;
    stream.on('data', (d: Buffer) => session.onStdout(d));
    stream.stderr.on('data', (d: Buffer) => session.onStderr(d));
    stream.on('error', () => undefined);
    // ssh2 may emit 'exit' after 'close' when the packets arrive together: decide on the next turn
    stream.on('close', () => setImmediate(() =>
      settle(() => {
        const rc = exit.rc;
        const becomeFailure = session.finish(rc ?? 255);
        if (becomeFailure) return reject(new TsibleError('BECOME', becomeFailure));
        const out = session.stdout();
        const err = session.stderr();
        const result = { stdout: out.toString('utf8'), stderr: err.toString('utf8'), stdoutBytes: out };
        if (rc === undefined && !timedOut) return reject(connectionLost(t, undefined));
        const code = timedOut ? 124 : (rc as number);
        trace?.result(code, out, err);
        resolve({ rc: code, ...result });
      }),
    ));
  });
}
