// POSIX sh quoting: the one place that turns argv arrays into a command line.
import { shlexSplit } from '../util/shlex';

const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

/** Quotes one argument for POSIX sh (like Python's shlex.quote). */
export function shQuote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return "'" + arg.replace(/'/g, `'"'"'`) + "'";
}

/** Joins an argv array into one sh command line. */
export function shJoin(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}

/** Python's shlex.split() (POSIX mode, no comments), used for free-form command args. */
export function shSplit(s: string): string[] {
  return shlexSplit(s, { comments: false });
}
