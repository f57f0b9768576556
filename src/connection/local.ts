// The local connection: scripts run in long-lived /bin/sh processes on the controller
// itself (one pool per become identity), files are read and written directly.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { TsibleError } from '../errors';
import { needsBecome, wrapBecome } from './become';
import { ShellPool } from './shell-session';
import type { ShellProcess } from './shell-session';
import type { BecomeOptions, Connection, ConnectionOptions, ExecOptions, ExecResult } from './types';
import { shQuote } from './quote';
import { CommandTrace } from './trace';

export class LocalConnection implements Connection {
  readonly transport = 'local' as const;
  readonly host: string;
  private readonly currentUser: string;
  /** Shell pools by become identity ('' = the controller's own user). */
  private readonly pools = new Map<string, ShellPool>();

  constructor(private readonly options: ConnectionOptions) {
    this.host = options.host;
    this.currentUser = os.userInfo().username;
  }

  private needsBecome(b: BecomeOptions | undefined = this.options.become): b is BecomeOptions {
    return needsBecome(b, this.currentUser);
  }

  /** Starts `/bin/sh` reading commands, or one already switched to the become user. */
  private spawnShell(become: BecomeOptions | undefined): ShellProcess {
    const env = { ...process.env, ...this.options.environment };
    const command = this.needsBecome(become) ? wrapBecome('exec /bin/sh', become, this.currentUser) : 'exec /bin/sh';
    // in the controller's process group, like the per-command sh it replaces (Ctrl-C reaches it)
    const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.on('error', () => undefined); // reported through the exit
    const streams = [child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[];
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      kill: () => {
        child.kill('SIGKILL');
        // orphans of the killed command may hold the pipes open: stop reading them
        child.stdout.destroy();
        child.stderr.destroy();
      },
      onExit: (listener) => {
        let done = false;
        const report = (code: number | null, signal: NodeJS.Signals | null) => {
          if (done) return;
          done = true;
          listener(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 9) : 1));
        };
        child.on('close', report);
        // 'close' waits for every holder of the pipes; a dead shell's orphans may keep them
        child.on('exit', (code, signal) => setTimeout(() => {
          if (done) return;
          child.stdout.destroy();
          child.stderr.destroy();
          report(code, signal);
        }, 100).unref());
      },
      setIdle: (idle) => {
        if (idle) child.unref();
        else child.ref();
        for (const s of streams) (idle ? s.unref : s.ref)?.call(s);
      },
    };
  }

  private pool(become: BecomeOptions | undefined): ShellPool {
    const key = this.needsBecome(become) ? JSON.stringify([become.method ?? 'sudo', become.user ?? 'root', become.flags ?? null]) : '';
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new ShellPool(() => this.spawnShell(become));
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** -vvv: once per task, as Ansible's local plugin connects once per task. */
  announce(trace: (message: string) => void): void {
    new CommandTrace(this.options.address ?? this.host, trace, false).establishLocal(this.currentUser);
  }

  exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const become = opts.become ?? this.options.become;
    // the line Ansible's local plugin would run: the script wrapped for become
    if (opts.trace) new CommandTrace(this.options.address ?? this.host, opts.trace, opts.noLog === true).localExec(wrapBecome(script, become, this.currentUser));
    const pool = this.pool(become);
    return pool.run({ script, env: opts.env, cwd: opts.cwd, stdin: opts.stdin, timeoutMs: opts.timeoutMs }).catch((e: Error) => {
      throw new TsibleError('CONNECTION', `failed to run /bin/sh on ${this.host}: ${e.message}`);
    });
  }

  async put(content: Buffer | string, remotePath: string): Promise<void> {
    if (this.needsBecome()) {
      const r = await this.exec(`cat > ${shQuote(remotePath)}`, { stdin: content });
      if (r.rc !== 0) throw new TsibleError('CONNECTION', `could not write ${remotePath}: ${r.stderr.trim()}`);
      return;
    }
    await fs.promises.writeFile(remotePath, content);
  }

  async fetch(remotePath: string): Promise<Buffer> {
    if (this.needsBecome()) {
      const r = await this.exec(`cat ${shQuote(remotePath)}`);
      if (r.rc !== 0) throw new TsibleError('CONNECTION', `could not read ${remotePath}: ${r.stderr.trim()}`);
      return r.stdoutBytes;
    }
    return fs.promises.readFile(remotePath);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}
