// Python's textwrap.wrap() (the defaults Ansible uses for warnings, errors and deprecations),
// so long messages break at exactly the same columns.

export interface WrapOptions {
  dropWhitespace?: boolean;
}

const L = String.raw`[\p{L}\p{M}_]`;
const WP = String.raw`[\p{L}\p{M}\p{N}_!"'&.,?]`;
/** Python's TextWrapper.wordsep_re: whitespace runs, em-dashes, words split after inner hyphens. */
const WORDSEP = new RegExp(
  String.raw`(\s+|(?<=${WP})-{2,}(?=\w)|\S+?(?:-(?:(?<=${L}{2}-)|(?<=${L}-${L}-))(?=${L}-?${L})|(?=\s|$)|(?<=${WP})(?=-{2,}\w)))`,
  'gu',
);

/** re.split(wordsep_re, text) without the empty pieces. */
function chunksOf(text: string): string[] {
  const chunks: string[] = [];
  let last = 0;
  for (const m of text.matchAll(WORDSEP)) {
    const at = m.index ?? 0;
    if (at > last) chunks.push(text.slice(last, at));
    if (m[0] !== '') chunks.push(m[0]);
    last = at + m[0].length;
  }
  if (last < text.length) chunks.push(text.slice(last));
  return chunks;
}

/** str.expandtabs(8): tabs pad to the next multiple of 8 columns; line breaks reset the column. */
function expandTabs(text: string): string {
  let out = '';
  let col = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const pad = 8 - (col % 8);
      out += ' '.repeat(pad);
      col += pad;
    } else {
      out += ch;
      col = ch === '\n' || ch === '\r' ? 0 : col + 1;
    }
  }
  return out;
}

export function wrap(text: string, width: number, opts: WrapOptions = {}): string[] {
  const drop = opts.dropWhitespace ?? true;
  const munged = expandTabs(text).replace(/[\n\r\v\f]/g, ' ');
  const chunks = chunksOf(munged).reverse();
  const lines: string[] = [];
  while (chunks.length > 0) {
    const line: string[] = [];
    let len = 0;
    const top = chunks[chunks.length - 1];
    if (drop && top !== undefined && top.trim() === '' && lines.length > 0) chunks.pop();
    while (chunks.length > 0) {
      const chunk = chunks[chunks.length - 1] as string;
      if (len + chunk.length > width) break;
      line.push(chunk);
      len += chunk.length;
      chunks.pop();
    }
    const next = chunks[chunks.length - 1];
    if (next !== undefined && next.length > width) {
      const spaceLeft = Math.max(width - len, 1);
      let end = spaceLeft;
      // prefer breaking a long word just after one of its hyphens
      const hyphen = next.lastIndexOf('-', spaceLeft - 1);
      if (hyphen > 0 && /[^-]/.test(next.slice(0, hyphen))) end = hyphen + 1;
      line.push(next.slice(0, end));
      chunks[chunks.length - 1] = next.slice(end);
      len += end;
    }
    const last = line[line.length - 1];
    if (drop && last !== undefined && last.trim() === '') line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}
