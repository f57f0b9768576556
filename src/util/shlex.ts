// POSIX shell-like word splitting as Python's shlex.split() does it: free-form command
// lines (comments=False) and INI inventory host lines (comments=True).

export class ShlexError extends Error {}

/** Splits on unquoted whitespace; with `comments`, '#' starts a comment at a word start or inside an unquoted word. */
export function shlexSplit(line: string, opts: { comments: boolean } = { comments: true }): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false; // a word (possibly an empty quoted one) is being built
  let i = 0;
  const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < line.length) {
    const c = line[i] as string;
    if (isSpace(c)) {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
      i++;
    } else if (c === '#' && opts.comments) {
      break; // the rest of the line is a comment
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShlexError('No closing quotation');
      token += line.slice(i + 1, end);
      inToken = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const d = line[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          token += line[i + 1];
          i += 2;
          continue;
        }
        token += d;
        i++;
      }
      if (!closed) throw new ShlexError('No closing quotation');
      inToken = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ShlexError('No escaped character');
      const next = line[i + 1] as string;
      // shlex drops an escaped newline; any other escaped character is kept literally
      if (next !== '\n') token += next;
      inToken = true;
      i += 2;
    } else {
      token += c;
      inToken = true;
      i++;
    }
  }
  if (inToken) tokens.push(token);
  return tokens;
}
