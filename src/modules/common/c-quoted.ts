// Decoding stat(1)'s %N under QUOTING_STYLE=c and LC_ALL=C: `"name"` or `"name" -> "target"`,
// C escapes and \ooo octal bytes, so any file name (newlines, UTF-8) comes back exactly.

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39, '?': 63 };

/** Reads one double-quoted C string at `from`; returns its bytes and the index after it. */
function readQuoted(s: string, from: number): { bytes: Buffer; end: number } | null {
  if (s[from] !== '"') return null;
  const out: number[] = [];
  let i = from + 1;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '"') return { bytes: Buffer.from(out), end: i + 1 };
    if (c !== '\\') {
      // LC_ALL=C output is ASCII; anything else is passed through as its UTF-8 bytes
      for (const b of Buffer.from(c, 'utf8')) out.push(b);
      i++;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) return null;
    const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
    if (oct) {
      out.push(parseInt(oct[0], 8) & 0xff);
      i += 1 + oct[0].length;
    } else if (SIMPLE[e] !== undefined) {
      out.push(SIMPLE[e] as number);
      i += 2;
    } else {
      out.push(e.charCodeAt(0));
      i += 2;
    }
  }
  return null;
}

/** `"a b"` → {name: 'a b'}; `"l" -> "t"` → {name: 'l', target: 't'}; null when malformed. */
export function decodeCQuoted(s: string): { name: string; target?: string } | null {
  const first = readQuoted(s, 0);
  if (!first) return null;
  const name = first.bytes.toString('utf8');
  if (first.end === s.length) return { name };
  if (s.slice(first.end, first.end + 4) !== ' -> ') return null;
  const second = readQuoted(s, first.end + 4);
  if (!second || second.end !== s.length) return null;
  return { name, target: second.bytes.toString('utf8') };
}
