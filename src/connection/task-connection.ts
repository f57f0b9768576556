// A task's view of a host's persistent connection: the task's environment and become
// settings applied to every command, without opening anything new.
import { shQuote } from './quote';
import type { BecomeOptions, Connection, ExecOptions, ExecResult } from './types';

export class TaskConnection implements Connection {
  constructor(
    private readonly inner: Connection,
    private readonly environment: Record<string, string>,
    private readonly become: BecomeOptions | undefined,
  ) {}
  get host(): string {
    return this.inner.host;
  }
  get transport(): Connection['transport'] {
    return this.inner.transport;
  }
  exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.inner.exec(script, {
      ...opts,
      env: { ...this.environment, ...opts.env },
      become: opts.become ?? this.become,
    });
  }
  async put(content: Buffer | string, remotePath: string): Promise<void> {
    if (this.become?.become) {
      const r = await this.exec(`cat > ${shQuote(remotePath)}`, { stdin: content });
      if (r.rc !== 0) throw new Error(`could not write ${remotePath}: ${r.stderr.trim()}`);
      return;
    }
    return this.inner.put(content, remotePath);
  }
  async fetch(remotePath: string): Promise<Buffer> {
    if (this.become?.become) {
      const r = await this.exec(`cat ${shQuote(remotePath)}`);
      if (r.rc !== 0) throw new Error(`could not read ${remotePath}: ${r.stderr.trim()}`);
      return r.stdoutBytes;
    }
    return this.inner.fetch(remotePath);
  }
  close(): Promise<void> {
    return Promise.resolve(); // the pool owns the inner connection
  }
}
