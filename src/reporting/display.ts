// The output sink of the reporters: Ansible's Display (display, banner, warning, deprecated, error)
// writing to injected stdout/stderr streams, with colour and column width decided once.
import { Colors, stringc, type ColorName } from './colors';
import { wrap } from './textwrap';
import type { Reporter } from './types';

export interface OutStream {
  write(s: string): void;
  isTTY: boolean;
  /** Terminal width when a TTY. */
  columns?: number;
}

export interface DisplayOptions {
  out: OutStream;
  err: OutStream;
  verbosity?: number;
  /** Forced colour decision; default: colour when stdout is a TTY. */
  color?: boolean;
}

export class Display {
  readonly out: OutStream;
  readonly err: OutStream;
  readonly verbosity: number;
  readonly color: boolean;
  /** Ansible: max(79, tty width - 1); 79 when not a TTY. */
  readonly columns: number;
  private readonly seenWarnings = new Set<string>();
  private readonly seenDeprecations = new Set<string>();

  constructor(opts: DisplayOptions) {
    this.out = opts.out;
    this.err = opts.err;
    this.verbosity = opts.verbosity ?? 0;
    this.color = opts.color ?? opts.out.isTTY;
    const tty = opts.out.isTTY ? opts.out.columns ?? 80 : 0;
    this.columns = Math.max(79, tty - 1);
  }

  /** One message plus a newline (a single trailing newline in msg is not doubled). */
  display(msg: string, color?: ColorName, stderr = false): void {
    const body = msg.endsWith('\n') ? msg.slice(0, -1) : msg;
    const text = (color ? stringc(body, color, this.color) : body) + '\n';
    (stderr ? this.err : this.out).write(text);
  }

  /** "\nTITLE ****" filled with stars to the column width (3 stars minimum). */
  banner(msg: string, color?: ColorName): void {
    const title = msg.trim();
    const stars = Math.max(this.columns - textWidth(title), 3);
    this.display(`\n${title} ${'*'.repeat(stars)}`, color);
  }

  /** Shown only when -v is given enough times (level 1 = -v). */
  verbose(msg: string, level: number): void {
    if (this.verbosity >= level) this.display(msg, Colors.verbose);
  }

  warning(msg: string, formatted = false): void {
    const text = formatted ? `\n[WARNING]: \n${msg}` : wrap(`[WARNING]: ${msg}`, this.columns).join('\n') + '\n';
    if (this.seenWarnings.has(text)) return;
    this.seenWarnings.add(text);
    this.display(text, Colors.warn, true);
  }

  /** The message may already carry "version X" details; only the sentence end is normalised. */
  deprecated(msg: string, version?: string): void {
    let head = msg.trim();
    if (head && !'!?.'.includes(head[head.length - 1] as string)) head += '.';
    const when = version ? `in version ${version}.` : 'in a future release.';
    const full = `[DEPRECATION WARNING]: ${head} This feature will be removed ${when} Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.`;
    const text = wrap(full, this.columns, { dropWhitespace: false }).join('\n') + '\n';
    if (this.seenDeprecations.has(text)) return;
    this.seenDeprecations.add(text);
    this.display(text.trim(), Colors.deprecate, true);
  }

  /** "ERROR! msg" (wrapText false, the CLI's form) or the wrapped "[ERROR]: msg". */
  error(msg: string, wrapText = false): void {
    const text = wrapText ? wrap(`\n[ERROR]: ${msg}`, this.columns).join('\n') + '\n' : `ERROR! ${msg}`;
    this.display(text, Colors.error, true);
  }
}

/** Display width: wide East Asian characters count 2 (as wcwidth), combining marks 0. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x300 && c <= 0x36f) continue;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** What every output format prints the same way: warnings, deprecations and errors go through Display. */
export abstract class DisplayReporter implements Reporter {
  constructor(readonly display: Display) {}

  onWarning(message: string): void {
    this.display.warning(message);
  }

  onDeprecation(message: string): void {
    this.display.deprecated(message);
  }

  onError(message: string): void {
    this.display.error(message);
  }
}
