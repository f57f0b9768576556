// Python's json.loads over already-valid JSON: numbers written with '.', 'e' or 'E' stay floats
// (PyFloat), so `2.0` keeps its type; keys keep their textual order.
import { PyFloat } from '../pyvalues';

/** Parses text that JSON.parse accepted; the result uses the template value model. */
export function pyJsonLoads(text: string): unknown {
  const validated: unknown = JSON.parse(text);
  // no float literal anywhere: JSON.parse's answer is already right
  if (!/[.eE]/.test(text)) return validated;
  const reader = { text, pos: 0 };
  return readValue(reader);
}

interface Reader {
  text: string;
  pos: number;
}

function skipWs(r: Reader): void {
  while (r.pos < r.text.length && ' \t\n\r'.includes(r.text[r.pos] as string)) r.pos++;
}

function readValue(r: Reader): unknown {
  skipWs(r);
  const c = r.text[r.pos];
  if (c === '{') return readObject(r);
  if (c === '[') return readArray(r);
  if (c === '"') return readString(r);
  for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
    if (r.text.startsWith(word, r.pos)) {
      r.pos += word.length;
      return value;
    }
  }
  const m = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
  m.lastIndex = r.pos;
  const found = m.exec(r.text);
  if (!found) throw new SyntaxError(`unexpected JSON at ${r.pos}`);
  r.pos += found[0].length;
  const n = Number(found[0]);
  return found[1] !== undefined || found[2] !== undefined ? new PyFloat(n) : n;
}

function readString(r: Reader): string {
  const m = /"(?:[^"\\]|\\.)*"/y;
  m.lastIndex = r.pos;
  const found = m.exec(r.text) as RegExpExecArray;
  r.pos += found[0].length;
  return JSON.parse(found[0]) as string;
}

function readArray(r: Reader): unknown[] {
  r.pos++;
  const out: unknown[] = [];
  skipWs(r);
  if (r.text[r.pos] === ']') {
    r.pos++;
    return out;
  }
  for (;;) {
    out.push(readValue(r));
    skipWs(r);
    if (r.text[r.pos++] === ']') return out;
  }
}

function readObject(r: Reader): Record<string, unknown> {
  r.pos++;
  const out: Record<string, unknown> = {};
  skipWs(r);
  if (r.text[r.pos] === '}') {
    r.pos++;
    return out;
  }
  for (;;) {
    skipWs(r);
    const key = readString(r);
    skipWs(r);
    r.pos++; // ':'
    const value = readValue(r);
    // defineProperty so a "__proto__" key stays a plain key
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    skipWs(r);
    if (r.text[r.pos++] === '}') return out;
  }
}
