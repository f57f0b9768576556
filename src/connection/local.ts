// The local connection: runs scripts with /bin/sh on the controller itself.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { TsibleError } from '../errors';
import { wrapBecome } from './become';
import type { Connection, ConnectionOptions, ExecOptions, ExecResult } from './types';
import { shQuote } from './quote';
import { CommandTrace } from './trace';

export class LocalConnection implements Connection {
  readonly transport = 'local' as const;
  readonly host: string;
  private readonly currentUser: string;
  constructor(private readonly options: ConnectionOptions) {
    this.host = options.host;
    this.currentUser = os.userInfo().username;
  }

  private needsBecome(): boolean {
    const b = this.options.become;
    return !!b && b.become && (b.user || 'root') !== this.currentUser;
  }

  /** -vvv: once per task, as Ansible's local plugin connects once per task. */
  announce(trace: (message: string) => void): void {
    new CommandTrace(this.options.address ?? this.host, trace, false).establishLocal(this.currentUser);
  }

  exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const wrapped = wrapBecome(script, opts.become ?? this.options.become, this.currentUser);
    if (opts.trace) new CommandTrace(this.options.address ?? this.host, opts.trace, opts.noLog === true).localExec(wrapped);
    return new Promise((resolve, reject) => {
      const env = { ...process.env, ...this.options.environment, ...opts.env };
      const child = spawn('/bin/sh', ['-c', wrapped], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs)
        : undefined;
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(new TsibleError('CONNECTION', `failed to run /bin/sh on ${this.host}: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        const stdoutBytes = Buffer.concat(out);
        resolve({
          rc: timedOut ? 124 : code ?? (signal ? 128 + 9 : 1),
          stdout: stdoutBytes.toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          stdoutBytes,
        });
      });
      child.stdin.on('error', () => undefined);
      if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
      else child.stdin.end();
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
    /* nothing persistent */
  }
}
