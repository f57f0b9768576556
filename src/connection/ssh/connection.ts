// The SSH connection: one ssh2 client per host, opened on first use and kept for the run;
// commands framed through long-lived `sh` channels on it (one pool per become identity), files
// over one SFTP session (or `cat` when there is none).
import * as os from 'os';
import type { Client, SFTPWrapper } from 'ssh2';
import type { Duplex } from 'stream';
import { TsibleError } from '../../errors';
import { shQuote } from '../quote';
import type { Connection, ConnectionOptions, ExecOptions, ExecResult } from '../types';
import { openClient, type JumpOpener, type OpenClient } from './client';
import { sshCommandArgs } from '../trace';
import { needsBecome, planBecome } from '../become';
import { ShellPool, type ShellProcess } from '../shell-session';
import { CommandTrace } from '../trace';
import type { BecomeOptions } from '../types';
import { scriptWithContext } from './exec';
import { openShellChannel } from './shell-channel';
import { forwardThrough } from './proxy';
import { jumpHopOptions, resolveSettings, type SettingsEnv, type SshSettings } from './settings';

/** sshd's MaxSessions is 10 by default: keep below it, with one session left for SFTP. */
const MAX_CHANNELS = 8;
/** Shells per become identity: commands of one host rarely run side by side. */
const SHELLS_PER_IDENTITY = 4;

export interface SshConnectionDeps {
  env: SettingsEnv;
  warn(message: string): void;
}

export class SshConnection implements Connection {
  readonly transport = 'ssh' as const;
  readonly host: string;
  readonly settings: SshSettings;
  /** ssh's arguments as Ansible would run it, for the -vvv EXEC lines. */
  private readonly traceArgs: string[];
  private open?: OpenClient;
  private opening?: Promise<OpenClient>;
  private sftp?: Promise<SFTPWrapper | undefined>;
  private noSftp = false;
  private channels = 0;
  private readonly waiting: (() => void)[] = [];
  /** Shell pools by become identity ('' = the login user). */
  private readonly shells = new Map<string, ShellPool>();
  /** Commands and transfers running now; the pool only closes idle connections. */
  busy = 0;
  lastUsed = 0;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly deps: SshConnectionDeps,
  ) {
    this.host = options.host;
    this.settings = resolveSettings(options, deps.env);
    this.traceArgs = sshCommandArgs(options);
  }

  get isOpen(): boolean {
    return this.open !== undefined;
  }

  /** A socket to target through a ProxyJump chain (hop1,hop2,...), each hop verified as any host. */
  private async openJump(hops: string, target: { host: string; port: number }, depth = 0): Promise<{ sock: Duplex; close(): void }> {
    if (depth > 8) throw new TsibleError('CONNECTION', 'Failed to connect to the host via ssh: too many ProxyJump hops');
    const opened: OpenClient[] = [];
    const closeAll = () => {
      for (const c of [...opened].reverse()) c.close();
    };
    try {
      for (const hop of hops.split(',')) {
        const s = resolveSettings(
          { ...jumpHopOptions(hop), hostKeyChecking: this.options.hostKeyChecking, timeoutSeconds: this.options.timeoutSeconds, sshArgs: configOnly(this.options.sshCommonArgs) },
          this.deps.env,
        );
        const prev = opened[opened.length - 1];
        const opener: JumpOpener = prev
          ? async (_h, t) => ({ sock: await forwardThrough(prev.client, t.host, t.port), close: () => undefined })
          : (h, t) => this.openJump(h, t, depth + 1);
        opened.push(await openClient(prev ? { ...s, proxyJump: hop, proxyCommand: undefined } : s, opener));
      }
      const last = opened[opened.length - 1] as OpenClient;
      return { sock: await forwardThrough(last.client, target.host, target.port), close: closeAll };
    } catch (e) {
      closeAll();
      throw e;
    }
  }

  /** The open client, connecting (with retries) when there is none or it was lost. */
  private client(): Promise<Client> {
    if (this.open) return Promise.resolve(this.open.client);
    if (!this.opening) {
      this.opening = openClient(this.settings, (h, t) => this.openJump(h, t)).then(
        (oc) => {
          this.open = oc;
          this.opening = undefined;
          oc.client.on('close', () => {
            if (this.open === oc) this.dropped();
          });
          oc.client.on('error', () => undefined);
          return oc;
        },
        (e) => {
          this.opening = undefined;
          throw e;
        },
      );
    }
    return this.opening.then((oc) => oc.client);
  }

  /** The connection went away: the next command reconnects (its shells reopen on the new client). */
  private dropped(): void {
    this.open = undefined;
    this.sftp = undefined;
  }

  /**
   * A channel slot for a new shell. Shells keep their slot while idle, so when all are held an
   * idle shell (of another become identity) gives its up; when every shell is busy, wait for
   * one to end or fall idle.
   */
  private async acquire(): Promise<void> {
    while (this.channels >= MAX_CHANNELS) await this.waitForChannel(this.closeOneIdleShell() ? 1000 : 50);
    this.channels++;
  }

  /** Ends one idle shell (of any identity) to free its channel; false when every shell is busy. */
  private closeOneIdleShell(): boolean {
    for (const pool of this.shells.values()) if (pool.closeIdle()) return true;
    return false;
  }

  /** Until a channel is released, or `ms` at most. */
  private waitForChannel(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private release(): void {
    this.channels--;
    for (const wake of this.waiting.splice(0)) wake();
  }

  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
      this.lastUsed = Date.now();
    }
  }

  private shellPool(become: BecomeOptions | undefined): ShellPool {
    const as = needsBecome(become, this.settings.user) ? become : undefined;
    const key = as ? JSON.stringify([as.method ?? 'sudo', as.user ?? 'root', as.flags ?? null, as.exe ?? null, as.password ?? null]) : '';
    let pool = this.shells.get(key);
    if (!pool) {
      pool = new ShellPool(() => this.openShell(as), SHELLS_PER_IDENTITY);
      this.shells.set(key, pool);
    }
    return pool;
  }

  /**
   * One `sh` on its own channel, holding a channel slot until it ends. A server that allows
   * fewer sessions (MaxSessions) than tsible keeps refuses the channel: an idle shell makes room.
   */
  private async openShell(become: BecomeOptions | undefined): Promise<ShellProcess> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.client();
      await this.acquire();
      try {
        const shell = await openShellChannel(client, become, { hostname: this.settings.hostname, user: this.settings.user, connectTimeoutSeconds: this.settings.connectTimeout });
        shell.onExit(() => this.release());
        return shell;
      } catch (e) {
        this.release();
        if (!(e as { channelRefused?: boolean }).channelRefused || attempt >= 8 || !this.closeOneIdleShell()) throw e;
        await this.waitForChannel(1000);
      }
    }
  }

  exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.track(async () => {
      const trace = opts.trace ? new CommandTrace(this.settings.alias, opts.trace, opts.noLog === true) : undefined;
      if (trace) {
        // the lines Ansible's ssh plugin prints for the same command
        trace.establishSsh(this.options.user);
        const plan = planBecome(scriptWithContext(script, opts), opts.become, this.settings.user);
        trace.sshExec(this.traceArgs, `/bin/sh -c ${shQuote(plan.command)}`);
      }
      const r = await this.shellPool(opts.become).run({ script, env: opts.env, cwd: opts.cwd, stdin: opts.stdin, timeoutMs: opts.timeoutMs });
      trace?.result(r.rc, r.stdoutBytes, Buffer.from(r.stderr));
      return r;
    });
  }

  private session(client: Client): Promise<SFTPWrapper | undefined> {
    if (this.noSftp) return Promise.resolve(undefined);
    if (!this.sftp) {
      this.sftp = new Promise((resolve) => {
        client.sftp((err, sftp) => {
          if (err) {
            this.noSftp = true;
            this.sftp = undefined;
            resolve(undefined);
            return;
          }
          sftp.on('close', () => {
            this.sftp = undefined;
          });
          resolve(sftp);
        });
      });
    }
    return this.sftp;
  }

  put(content: Buffer | string, remotePath: string): Promise<void> {
    return this.track(async () => {
      const client = await this.client();
      const sftp = await this.session(client);
      if (!sftp) {
        const r = await this.exec(`cat > ${shQuote(remotePath)}`, { stdin: content });
        if (r.rc !== 0) throw new Error(`could not write ${remotePath}: ${r.stderr.trim()}`);
        return;
      }
      await new Promise<void>((resolve, reject) => {
        sftp.writeFile(remotePath, content, (err) => (err ? reject(sftpError(err, 'write', remotePath)) : resolve()));
      });
    });
  }

  fetch(remotePath: string): Promise<Buffer> {
    return this.track(async () => {
      const client = await this.client();
      const sftp = await this.session(client);
      if (!sftp) {
        const r = await this.exec(`cat ${shQuote(remotePath)}`);
        if (r.rc !== 0) throw Object.assign(new Error(`could not read ${remotePath}: ${r.stderr.trim()}`), { code: 'ENOENT' });
        return r.stdoutBytes;
      }
      return new Promise<Buffer>((resolve, reject) => {
        sftp.readFile(remotePath, (err: Error | undefined, data: Buffer) => (err ? reject(sftpError(err, 'read', remotePath)) : resolve(data)));
      });
    });
  }

  /** Closes the client (the next use reconnects: meta: reset_connection). */
  async close(): Promise<void> {
    // the shells get EOF and the client its disconnect in this same turn: on Ctrl-C the process exits right after
    const shellsClosed = Promise.all([...this.shells.values()].map((p) => p.close()));
    this.shells.clear();
    const oc = this.open ?? (await this.opening?.catch(() => undefined));
    this.open = undefined;
    this.sftp = undefined;
    oc?.close();
    await shellsClosed;
  }
}

/** Only -F from the user's common args reaches the jump host, as ssh -J passes it. */
function configOnly(args: string | undefined): string | undefined {
  if (!args) return undefined;
  const m = /(?:^|\s)-F\s*(\S+)/.exec(args);
  return m ? `-F ${m[1]}` : undefined;
}

function sftpError(err: Error & { code?: number }, verb: string, remotePath: string): Error {
  const codes: Record<number, string> = { 2: 'ENOENT', 3: 'EACCES', 4: 'EIO' };
  const code = typeof err.code === 'number' ? codes[err.code] ?? 'EIO' : 'EIO';
  return Object.assign(new Error(`could not ${verb} ${remotePath}: ${err.message}`), { code });
}

/**
 * ssh reads ~/.ssh from the user's passwd entry, not $HOME; TSIBLE_SSH_HOME points tsible at
 * another directory (the tests use it to keep their known_hosts and config to themselves).
 */
export function defaultSettingsEnv(env: NodeJS.ProcessEnv = process.env): SettingsEnv {
  let localUser = env.USER ?? '';
  let home = env.HOME ?? os.homedir();
  try {
    const info = os.userInfo();
    localUser = info.username;
    home = info.homedir || home;
  } catch {
    // no passwd entry: $USER and $HOME
  }
  return { home: env.TSIBLE_SSH_HOME || home, localUser, authSock: env.SSH_AUTH_SOCK };
}
