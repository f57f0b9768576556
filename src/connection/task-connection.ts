// A task's view of a host's persistent connection: the task's environment and become
// settings applied to every command, the -vvv connection lines, without opening anything new.
import { shQuote } from './quote';
import type { BecomeOptions, Connection, ExecOptions, ExecResult } from './types';

export interface TaskConnectionOptions {
  /** Receives -vvv connection lines (unset below -vvv). */
  trace?: (message: string) => void;
  /** The task is no_log: its commands and their output stay out of the -vvv lines. */
  noLog?: boolean;
  /** Called once when the task is done with the connection (the pool may close idle ones). */
  release?: () => Promise<void>;
}

export class TaskConnection implements Connection {
  private announced = false;
  constructor(
    private readonly inner: Connection,
    private readonly environment: Record<string, string>,
    private readonly become: BecomeOptions | undefined,
    private readonly options: TaskConnectionOptions = {},
  ) {}
  get host(): string {
    return this.inner.host;
  }
  get transport(): Connection['transport'] {
    return this.inner.transport;
  }
  private traceFor(): ((m: string) => void) | undefined {
    const trace = this.options.trace;
    if (!trace) return undefined;
    if (!this.announced) {
      this.announced = true;
      this.inner.announce?.(trace);
    }
    return trace;
  }
  exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.inner.exec(script, {
      ...opts,
      env: { ...this.environment, ...opts.env },
      become: opts.become ?? this.become,
      trace: opts.trace ?? this.traceFor(),
      noLog: opts.noLog ?? this.options.noLog,
    });
  }
  async put(content: Buffer | string, remotePath: string): Promise<void> {
    if (this.become?.become) {
      const r = await this.exec(`cat > ${shQuote(remotePath)}`, { stdin: content });
      if (r.rc !== 0) throw new Error(`could not write ${remotePath}: ${r.stderr.trim()}`);
      return;
    }
    this.traceFor();
    return this.inner.put(content, remotePath);
  }
  async fetch(remotePath: string): Promise<Buffer> {
    if (this.become?.become) {
      const r = await this.exec(`cat ${shQuote(remotePath)}`);
      if (r.rc !== 0) throw new Error(`could not read ${remotePath}: ${r.stderr.trim()}`);
      return r.stdoutBytes;
    }
    this.traceFor();
    return this.inner.fetch(remotePath);
  }
  /** The pool owns the inner connection: this only tells it the task is done. */
  async close(): Promise<void> {
    await this.options.release?.();
  }
}
