// Python's textwrap.wrap() (the defaults Ansible uses for warnings, errors and deprecations),
// so long messages break at exactly the same columns.

export interface WrapOptions {
  dropWhitespace?: boolean;
}

/** Splits into whitespace runs and words; hyphenated words may break after their hyphens. */
function chunksOf(text: string): string[] {
  const chunks: string[] = [];
  for (const part of text.split(/( +)/)) {
    if (part === '') continue;
    if (part.startsWith(' ')) {
      chunks.push(part);
      continue;
    }
    // "foo-bar" → "foo-", "bar" (Python breaks on hyphens between word characters)
    let rest = part;
    let m: RegExpExecArray | null;
    while ((m = /^(\w+-+)(?=[A-Za-z]{2})/.exec(rest)) !== null && m[1] !== undefined && m[1].length < rest.length) {
      chunks.push(m[1]);
      rest = rest.slice(m[1].length);
    }
    chunks.push(rest);
  }
  return chunks;
}

export function wrap(text: string, width: number, opts: WrapOptions = {}): string[] {
  const drop = opts.dropWhitespace ?? true;
  const munged = text.replace(/\t/g, '        ').replace(/[\n\r\v\f\t]/g, ' ');
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
      line.push(next.slice(0, spaceLeft));
      chunks[chunks.length - 1] = next.slice(spaceLeft);
      len += spaceLeft;
    }
    const last = line[line.length - 1];
    if (drop && last !== undefined && last.trim() === '') line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}
