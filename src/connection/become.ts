// Privilege escalation for every transport: wraps a script for sudo or su, and drives the
// password exchange on the command's pipes (no TTY, password by stdin, never on a command line).
import { randomBytes } from 'crypto';
import { shQuote } from './quote';
import type { BecomeOptions } from './types';

/** What a transport runs for one command under become, and how to talk to it. */
export interface BecomePlan {
  /** The command line to run (the script wrapped for sudo/su). */
  command: string;
  /** The unique password prompt to answer (set only when a password will be sent). */
  prompt?: string;
  /** Printed on stdout by the become user's shell before the script runs. */
  marker?: string;
  method: string;
}

const DEFAULT_FLAGS: Record<string, string> = { sudo: '-H -S -n', su: '' };

function removeFlag(flags: string, flag: string): string {
  return flags.split(/\s+/).filter((f) => f !== flag && f !== '').join(' ');
}

/** Ansible's become-user check: no become, or already that user (unless allowed), means no wrapping. */
export function needsBecome(become: BecomeOptions | undefined, currentUser: string | undefined): become is BecomeOptions {
  if (!become || !become.become) return false;
  return become.allowSameUser === true || (become.user || 'root') !== currentUser;
}

/**
 * The command for a script under become. The become user's shell first prints a random
 * marker, so the caller can tell "became the user" from a password prompt or a refusal.
 */
export function planBecome(script: string, become: BecomeOptions | undefined, currentUser: string | undefined): BecomePlan {
  if (!needsBecome(become, currentUser)) return { command: script, method: 'none' };
  const user = become.user || 'root';
  const method = become.method || 'sudo';
  const key = randomBytes(16).toString('hex');
  const marker = `BECOME-SUCCESS-${key}`;
  const inner = `/bin/sh -c ${shQuote(`echo ${marker}; ${script}`)}`;
  const exe = become.exe || method;
  let flags = become.flags ?? DEFAULT_FLAGS[method] ?? '';
  if (method === 'su') {
    const prompt = become.password !== undefined ? 'Password:' : undefined;
    return { command: `${exe} ${flags ? flags + ' ' : ''}${shQuote(user)} -c ${shQuote(inner)}`, prompt, marker, method };
  }
  if (method !== 'sudo') throw new Error(`the become method '${method}' is not supported by tsible (sudo and su are)`);
  let prompt: string | undefined;
  if (become.password !== undefined) {
    prompt = `[sudo via tsible, key=${key}] password:`;
    flags = `${removeFlag(flags, '-n')} -p ${shQuote(prompt)}`.trim();
  }
  return { command: `${exe} ${flags ? flags + ' ' : ''}-u ${shQuote(user)} ${inner}`, prompt, marker, method };
}

/** Returns the script to run, wrapped for become when needed (password-less form). */
export function wrapBecome(script: string, become: BecomeOptions | undefined, currentUser: string): string {
  if (!needsBecome(become, currentUser)) return script;
  const user = become.user || 'root';
  const method = become.method || 'sudo';
  const exe = become.exe || method;
  if (method === 'su') return `${exe} ${become.flags ? become.flags + ' ' : ''}${shQuote(user)} -c ${shQuote(script)}`;
  const flags = become.flags ?? DEFAULT_FLAGS.sudo;
  return `${exe} ${flags} -u ${shQuote(user)} /bin/sh -c ${shQuote(script)}`;
}

/** Messages the become programs print, as Ansible's sudo and su plugins recognise them. */
const MISSING = ['Sorry, a password is required to run sudo', 'sudo: a password is required'];
const WRONG = ['Sorry, try again.', 'Authentication failure', 'su: Authentication failure', 'incorrect password attempt'];

/** The pipes of one running command, as any transport has them. */
export interface BecomeStreams {
  writeStdin(data: Buffer | string): void;
  endStdin(): void;
  /** Stops the command (close the channel / kill the process). */
  abort(): void;
}

/**
 * Watches a command's output until the become marker appears: answers the password prompt
 * once, fails fast on a wrong or missing password, then lets the script's output and stdin
 * through. Feed it every chunk; read `stdout()`/`stderr()` once the command exits.
 */
export class BecomeSession {
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private pendingOut = '';
  private pendingErr = '';
  private became: boolean;
  private answered = false;
  private timer?: NodeJS.Timeout;
  /** Set when the exchange failed: the command's result is this message. */
  failure?: string;

  constructor(
    private readonly plan: BecomePlan,
    private readonly become: BecomeOptions | undefined,
    private readonly streams: BecomeStreams,
    private readonly stdin: Buffer | string | undefined,
    timeoutMs = 0,
  ) {
    this.became = plan.marker === undefined;
    if (!this.became && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        if (!this.became) this.fail(`Timeout (${Math.round(timeoutMs / 1000) + 2}s) waiting for privilege escalation prompt: `);
      }, timeoutMs);
      this.timer.unref?.();
    }
    // no password exchange: stdin can go at once (sudo -n never reads it)
    if (this.became || plan.prompt === undefined) this.sendStdin();
  }

  /** The become user's shell has started (its marker seen), or no become was needed. */
  get ready(): boolean {
    return this.became;
  }

  private sendStdin(): void {
    if (this.stdin !== undefined) this.streams.writeStdin(this.stdin);
    this.streams.endStdin();
  }

  private fail(message: string): void {
    if (this.failure) return;
    if (this.timer) clearTimeout(this.timer);
    this.failure = message;
    this.streams.abort();
  }

  private methodName(): string {
    return this.plan.method === 'su' ? 'su' : 'sudo';
  }

  private checkText(text: string): void {
    if (this.became || this.failure) return;
    if (this.plan.prompt && text.trimEnd().endsWith(this.plan.prompt)) {
      if (this.answered) return this.fail(`Incorrect ${this.methodName()} password`);
      this.answered = true;
      this.streams.writeStdin(`${this.become?.password ?? ''}\n`);
      return;
    }
    if (MISSING.some((m) => text.includes(m))) return this.fail(`Missing ${this.methodName()} password`);
    if (this.answered && WRONG.some((m) => text.includes(m))) this.fail(`Incorrect ${this.methodName()} password`);
  }

  onStdout(chunk: Buffer): void {
    if (this.became) {
      this.out.push(chunk);
      return;
    }
    this.pendingOut += chunk.toString('latin1');
    const marker = this.plan.marker as string;
    const at = this.pendingOut.indexOf(marker);
    if (at >= 0) {
      const end = this.pendingOut.indexOf('\n', at);
      if (end < 0) return;
      this.became = true;
      if (this.timer) clearTimeout(this.timer);
      const rest = this.pendingOut.slice(end + 1);
      this.pendingOut = '';
      if (rest) this.out.push(Buffer.from(rest, 'latin1'));
      if (this.plan.prompt !== undefined) this.sendStdin();
      return;
    }
    this.checkText(this.pendingOut);
  }

  onStderr(chunk: Buffer): void {
    if (this.became) {
      this.err.push(chunk);
      return;
    }
    this.pendingErr += chunk.toString('latin1');
    this.checkText(this.pendingErr);
  }

  /** The script's stdout (become chatter removed). */
  stdout(): Buffer {
    return Buffer.concat(this.out);
  }

  /** The script's stderr: what arrived before the marker, less the prompts, then the rest. */
  stderr(): Buffer {
    const early = this.plan.prompt ? this.pendingErr.split(this.plan.prompt).join('') : this.pendingErr;
    return Buffer.concat([Buffer.from(this.became ? early.replace(/^\s+/, '') : '', 'latin1'), ...this.err]);
  }

  /** At exit: a failure message when the become user was never reached. */
  finish(rc: number): string | undefined {
    if (this.timer) clearTimeout(this.timer);
    if (this.failure) return this.failure;
    if (this.became) return undefined;
    const said = (this.pendingErr + this.pendingOut).trim();
    if (MISSING.some((m) => said.includes(m))) return `Missing ${this.methodName()} password`;
    if (this.answered) return `Incorrect ${this.methodName()} password`;
    return `${this.methodName()} failed (rc=${rc}): ${said.split(this.become?.password || '\u0000').join('********') || 'no output'}`;
  }
}
