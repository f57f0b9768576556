// One long-lived `sh` on a target, running framed commands one at a time over any
// transport that gives a stdin/stdout/stderr triple; reopened when it dies or times out.
import type { Readable, Writable } from 'stream';
import { FrameReader, frameCommand, newFrameToken } from './shell-frame';
import type { FrameInput } from './shell-frame';
import type { ExecResult } from './types';

/** A started shell: its three streams, a way to end it, and its exit. */
export interface ShellProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Ends the shell and whatever it is running (timeouts, close). */
  kill(): void;
  /** Registers the listener for the shell's end: exit code, or 128 + signal number. */
  onExit(listener: (rc: number) => void): void;
  /** Lets the controller exit while the shell idles (optional: local processes). */
  setIdle?(idle: boolean): void;
  /** Why the shell ended, when that was the transport going away (the command then fails with it, not an rc). */
  lostReason?(): Error | undefined;
}

export type OpenShell = () => ShellProcess | Promise<ShellProcess>;

export interface ShellRunInput extends FrameInput {
  timeoutMs?: number;
}

interface Live {
  shell: ShellProcess;
  token: string;
  exited: boolean;
  /** Called with each chunk / the exit while a command runs. */
  onOut?: (b: Buffer) => void;
  onErr?: (b: Buffer) => void;
  onExit?: (rc: number) => void;
}

export class ShellSession {
  private live: Live | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(private readonly open: OpenShell) {}

  /** Is a command running or waiting on this shell? */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** A shell is open and nothing runs on it. */
  get idleOpen(): boolean {
    return this.pending === 0 && this.live !== null && !this.live.exited;
  }

  /** Runs one command; commands on one session run in order. Never rejects for a non-zero rc. */
  run(input: ShellRunInput): Promise<ExecResult> {
    this.pending++;
    const p = this.queue.then(() => this.runNow(input));
    this.queue = p.catch(() => undefined);
    return p.finally(() => this.pending--);
  }

  private async start(): Promise<Live> {
    if (this.live && !this.live.exited) return this.live;
    const shell = await this.open();
    const live: Live = { shell, token: newFrameToken(), exited: false };
    shell.stdout.on('data', (b: Buffer) => live.onOut?.(b));
    shell.stderr.on('data', (b: Buffer) => live.onErr?.(b));
    shell.stdin.on('error', () => undefined); // EPIPE when the shell died: seen through onExit
    shell.onExit((rc) => {
      live.exited = true;
      live.onExit?.(rc);
    });
    this.live = live;
    return live;
  }

  private async runNow(input: ShellRunInput): Promise<ExecResult> {
    const live = await this.start();
    const id = this.nextId++;
    const reader = new FrameReader(live.token, id);
    live.shell.setIdle?.(false);
    return new Promise<ExecResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (rc: number, stdout: Buffer, stderr: Buffer) => {
        if (timer) clearTimeout(timer);
        live.onOut = live.onErr = live.onExit = undefined;
        if (!live.exited) live.shell.setIdle?.(true);
        resolve({ rc, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), stdoutBytes: stdout });
      };
      const check = () => {
        const r = reader.result();
        if (r) finish(r.rc, r.stdout, r.stderr);
      };
      live.onOut = (b) => {
        reader.stdout(b);
        check();
      };
      live.onErr = (b) => {
        reader.stderr(b);
        check();
      };
      live.onExit = (rc) => {
        // the shell went away mid-command (killed, or become failed before it started)
        const lost = live.shell.lostReason?.();
        if (lost) {
          if (timer) clearTimeout(timer);
          live.onOut = live.onErr = live.onExit = undefined;
          return reject(lost);
        }
        const p = reader.partial();
        finish(rc === 0 ? 255 : rc, p.stdout, p.stderr);
      };
      if (input.timeoutMs) {
        timer = setTimeout(() => {
          const p = reader.partial();
          live.onExit = undefined;
          live.exited = true;
          live.shell.kill();
          finish(124, p.stdout, p.stderr);
        }, input.timeoutMs);
      }
      if (live.exited) {
        live.onExit(255);
        return;
      }
      live.shell.stdin.write(frameCommand(live.token, id, input));
    });
  }

  /** Ends the shell (EOF on its stdin; killed if it is still running something). */
  async close(): Promise<void> {
    const live = this.live;
    this.live = null;
    if (!live || live.exited) return;
    if (this.pending > 0) live.shell.kill();
    else live.shell.stdin.end();
  }
}

/** Several sessions on one target so that concurrent callers do not wait for each other. */
export class ShellPool {
  private readonly sessions: ShellSession[] = [];

  constructor(
    private readonly open: OpenShell,
    private readonly max = 8,
  ) {}

  run(input: ShellRunInput): Promise<ExecResult> {
    let s = this.sessions.find((x) => !x.busy);
    if (!s && this.sessions.length < this.max) {
      s = new ShellSession(this.open);
      this.sessions.push(s);
    }
    // all busy and at the cap: queue behind the least loaded one
    return (s ?? (this.sessions[0] as ShellSession)).run(input);
  }

  /** Ends one open shell that runs nothing (to free its channel for another pool); false when none is idle. */
  closeIdle(): boolean {
    const s = this.sessions.find((x) => x.idleOpen);
    if (!s) return false;
    void s.close();
    return true;
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.close()));
    this.sessions.length = 0;
  }
}
