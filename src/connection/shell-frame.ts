// Framing for a long-lived `sh` that reads commands on its stdin: the text written for one
// command and the reader that cuts its stdout/stderr at the end markers. Transport-neutral.
import { randomBytes } from 'crypto';
import { shQuote } from './quote';

export interface FrameInput {
  script: string;
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string | Buffer;
}

/** Per-shell marker prefix; 128 random bits, so no command output contains it by chance. */
export function newFrameToken(): string {
  return `TSIBLE-${randomBytes(16).toString('hex')}`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * stdin that can go in a quoted here-document as it is: UTF-8 text without NUL that ends in a
 * newline (the frame is written to the shell as UTF-8, so other bytes go as base64).
 */
function heredocSafe(data: Buffer, delimiter: string): boolean {
  if (data.length === 0 || data[data.length - 1] !== 0x0a || data.includes(0)) return false;
  const text = data.toString('utf8');
  return Buffer.byteLength(text) === data.length && Buffer.from(text).equals(data) && !text.split('\n').includes(delimiter);
}

/** Where the command's stdin comes from: /dev/null, a here-document, or base64 decoded from one. */
function stdinRedirect(stdin: string | Buffer | undefined, delimiter: string): { prefix: string; suffix: string; body: string } {
  if (stdin === undefined || stdin.length === 0) return { prefix: '', suffix: ' </dev/null', body: '' };
  const data = Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin);
  if (heredocSafe(data, delimiter)) return { prefix: '', suffix: ` <<'${delimiter}'`, body: data.toString('utf8') + delimiter + '\n' };
  const b64 = (data.toString('base64').match(/.{1,76}/g) ?? []).join('\n');
  // the here-document's body must follow the line that opens it, hence the braces
  return { prefix: `{ base64 -d <<'${delimiter}'\n${b64}\n${delimiter}\n} | `, suffix: '', body: '' };
}

/**
 * The text that makes the shell run one command in a subshell (so `exit`, traps, `cd` and
 * variables stay inside it) and then print `<token>:<id> <rc>` on stdout and `<token>:<id>`
 * on stderr. The script is single-quoted for eval, so a syntax error cannot desynchronise
 * the reader: it fails that command with rc 2, as `sh -c` would.
 */
export function frameCommand(token: string, id: number, input: FrameInput): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(input.env ?? {})) {
    if (ENV_NAME.test(k)) lines.push(`export ${k}=${shQuote(v)}`);
  }
  if (input.cwd) lines.push(`cd -- ${shQuote(input.cwd)} || exit 1`);
  lines.push(`eval ${shQuote(input.script)}`);
  const delimiter = `TSIBLE_IN_${token.slice(7, 23)}_${id}`;
  const io = stdinRedirect(input.stdin, delimiter);
  const marker = `${token}:${id}:`;
  return (
    `${io.prefix}(\n${lines.join('\n')}\n)${io.suffix}\n${io.body}` +
    `printf '%s %d\\n' ${marker} $?; printf '%s\\n' ${marker} >&2\n`
  );
}

export interface FrameResult {
  rc: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** Accumulates one stream until `marker` and the rest of its line (` <rc>` on stdout). */
class StreamCut {
  private chunks: Buffer[] = [];
  private length = 0;
  private markerAt = -1;
  done: { body: Buffer; rest: string } | null = null;

  push(chunk: Buffer, marker: Buffer): void {
    if (this.done) return; // late output of a background process: not this command's
    const before = this.length;
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.markerAt < 0) {
      // search only the new bytes (plus an overlap for a marker split across chunks)
      const overlap = Math.min(before, marker.length - 1);
      const window = overlap ? Buffer.concat([this.tail(overlap), chunk]) : chunk;
      const i = window.indexOf(marker);
      if (i < 0) return;
      this.markerAt = before - overlap + i;
    }
    const all = Buffer.concat(this.chunks, this.length);
    this.chunks = [all];
    const nl = all.indexOf(0x0a, this.markerAt + marker.length);
    if (nl < 0) return; // the rest of the marker line is still on its way
    this.done = { body: all.subarray(0, this.markerAt), rest: all.subarray(this.markerAt + marker.length, nl).toString('latin1').trim() };
  }

  /** The last `n` bytes before the newest chunk. */
  private tail(n: number): Buffer {
    const parts: Buffer[] = [];
    let need = n;
    for (let i = this.chunks.length - 2; i >= 0 && need > 0; i--) {
      const c = this.chunks[i] as Buffer;
      parts.unshift(c.subarray(Math.max(0, c.length - need)));
      need -= Math.min(need, c.length);
    }
    return Buffer.concat(parts);
  }

  /** Everything seen so far when the shell died before the marker. */
  partial(): Buffer {
    return this.done ? this.done.body : Buffer.concat(this.chunks, this.length);
  }
}

/** Reads one command's output from the shell's two streams. */
export class FrameReader {
  private readonly out = new StreamCut();
  private readonly err = new StreamCut();
  private readonly marker: Buffer;

  constructor(token: string, id: number) {
    this.marker = Buffer.from(`${token}:${id}:`, 'latin1');
  }

  stdout(chunk: Buffer): void {
    this.out.push(chunk, this.marker);
  }

  stderr(chunk: Buffer): void {
    this.err.push(chunk, this.marker);
  }

  /** The result once both end markers have arrived. */
  result(): FrameResult | null {
    if (!this.out.done || !this.err.done) return null;
    const rc = Number(this.out.done.rest);
    return { rc: Number.isInteger(rc) ? rc : 1, stdout: this.out.done.body, stderr: this.err.done.body };
  }

  /** What the command printed before the shell went away. */
  partial(): { stdout: Buffer; stderr: Buffer } {
    return { stdout: this.out.partial(), stderr: this.err.partial() };
  }
}
