// POSIX sh quoting: the one place that turns argv arrays into a command line.

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

/** Python shlex.split semantics (POSIX mode), used for free-form command args. */
export function shSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < s.length) {
        const d = s[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1] as string)) {
          cur += s[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      if (!closed) throw new Error('No closing quotation');
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < s.length) {
        if (s[i + 1] !== '\n') cur += s[i + 1];
        i += 2;
      } else {
        throw new Error('No escaped character');
      }
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
