// A Python literal evaluator (the subset ast.literal_eval accepts that Ansible's INI
// plugin meets): numbers, strings, True/False/None, lists, tuples, dicts and sets.
import { PyFloat } from '../template/pyvalues';

// Thrown (and caught) on every value that is not a literal: a shared plain object,
// because building an Error's stack trace dominated the loading of big inventories.
const NOT_A_LITERAL = Object.freeze({ notALiteral: true });

interface Cursor {
  text: string;
  pos: number;
  depth: number; // bracket nesting: newlines are whitespace only inside brackets
}

/** Returns the evaluated literal, or NO_LITERAL when the text is not a Python literal. */
export const NO_LITERAL: unique symbol = Symbol('no literal');

export function pyLiteralEval(text: string): unknown {
  const cur: Cursor = { text, pos: 0, depth: 0 };
  try {
    skipSpace(cur);
    const value = parseTuple(cur, true);
    skipSpace(cur);
    if (cur.pos < cur.text.length) return NO_LITERAL;
    return value;
  } catch (e) {
    if (e === NOT_A_LITERAL) return NO_LITERAL;
    throw e;
  }
}

function fail(): never {
  throw NOT_A_LITERAL;
}

function skipSpace(cur: Cursor): void {
  for (;;) {
    const c = cur.text[cur.pos];
    if (c === ' ' || c === '\t' || c === '\f') cur.pos++;
    else if ((c === '\n' || c === '\r') && cur.depth > 0) cur.pos++;
    else if (c === '\\' && cur.text[cur.pos + 1] === '\n') cur.pos += 2;
    else if (c === '#') {
      while (cur.pos < cur.text.length && cur.text[cur.pos] !== '\n') cur.pos++;
    } else return;
  }
}

function peek(cur: Cursor): string {
  skipSpace(cur);
  return cur.text[cur.pos] ?? '';
}

/** expr (',' expr)* [','] — a bare comma list is a tuple (only at top level or in parens). */
function parseTuple(cur: Cursor, topLevel: boolean): unknown {
  const first = parseValue(cur);
  if (peek(cur) !== ',') return first;
  const items = [first];
  while (peek(cur) === ',') {
    cur.pos++;
    const next = peek(cur);
    if (next === '' || next === ')' || (!topLevel && next === ']')) break;
    items.push(parseValue(cur));
  }
  return items;
}

function parseSequence(cur: Cursor, close: string): unknown[] {
  const items: unknown[] = [];
  cur.depth++;
  for (;;) {
    if (peek(cur) === close) break;
    items.push(parseValue(cur));
    const sep = peek(cur);
    if (sep === ',') cur.pos++;
    else if (sep !== close) fail();
  }
  cur.pos++;
  cur.depth--;
  return items;
}

function parseBraces(cur: Cursor): unknown {
  cur.depth++;
  if (peek(cur) === '}') {
    cur.pos++;
    cur.depth--;
    return {};
  }
  const firstKey = parseValue(cur);
  if (peek(cur) !== ':') {
    // a set: represented as a list (our value model has no set)
    const items = [firstKey];
    for (;;) {
      const sep = peek(cur);
      if (sep === '}') break;
      if (sep !== ',') fail();
      cur.pos++;
      if (peek(cur) === '}') break;
      items.push(parseValue(cur));
    }
    cur.pos++;
    cur.depth--;
    return items;
  }
  const dict: Record<string, unknown> = {};
  let key: unknown = firstKey;
  for (;;) {
    if (peek(cur) !== ':') fail();
    cur.pos++;
    const value = parseValue(cur);
    if (Array.isArray(key) || (typeof key === 'object' && key !== null && !(key instanceof PyFloat))) fail();
    dict[dictKey(key)] = value;
    const sep = peek(cur);
    if (sep === '}') break;
    if (sep !== ',') fail();
    cur.pos++;
    if (peek(cur) === '}') break;
    key = parseValue(cur);
  }
  cur.pos++;
  cur.depth--;
  return dict;
}

function dictKey(key: unknown): string {
  if (key === null) return 'None';
  if (key === true) return 'True';
  if (key === false) return 'False';
  return String(key);
}

function parseValue(cur: Cursor): unknown {
  const c = peek(cur);
  if (c === '[') {
    cur.pos++;
    return parseSequence(cur, ']');
  }
  if (c === '(') {
    cur.pos++;
    cur.depth++;
    if (peek(cur) === ')') {
      cur.pos++;
      cur.depth--;
      return [];
    }
    const inner = parseTuple(cur, false);
    if (peek(cur) !== ')') fail();
    cur.pos++;
    cur.depth--;
    return inner;
  }
  if (c === '{') {
    cur.pos++;
    return parseBraces(cur);
  }
  if (c === '-' || c === '+') {
    cur.pos++;
    // literal_eval allows one sign on a number ("-(5)" too), not "--5"
    const next = peek(cur);
    if (!/[0-9.(]/.test(next)) return fail();
    const operand = next === '(' ? parseParenthesisedNumber(cur) : parseNumber(cur);
    if (typeof operand === 'number') return c === '-' ? 0 - operand : operand;
    if (operand instanceof PyFloat) return new PyFloat(c === '-' ? -operand.value : operand.value);
    return fail();
  }
  if (/[0-9.]/.test(c)) return parseNumber(cur);
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(cur.text.slice(cur.pos));
  if (word) {
    const name = word[0];
    const quoteAfter = cur.text[cur.pos + name.length];
    if ((quoteAfter === "'" || quoteAfter === '"') && /^(r|u|b|br|rb)$/i.test(name)) return parseStrings(cur);
    cur.pos += name.length;
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    return fail();
  }
  if (c === "'" || c === '"') return parseStrings(cur);
  return fail();
}

function parseParenthesisedNumber(cur: Cursor): unknown {
  cur.pos++;
  cur.depth++;
  if (!/[0-9.]/.test(peek(cur))) fail();
  const n = parseNumber(cur);
  if (peek(cur) !== ')') fail();
  cur.pos++;
  cur.depth--;
  return n;
}

const DIGITS = '[0-9](?:_?[0-9])*';
const EXPONENT = `[eE][+-]?${DIGITS}`;
const FLOAT = new RegExp(
  `^(?:(?:${DIGITS})?\\.${DIGITS}(?:${EXPONENT})?|${DIGITS}\\.(?:${EXPONENT})?|${DIGITS}${EXPONENT})(?![\\w.])`,
);
const INT = new RegExp(`^${DIGITS}(?![\\w.])`);
const RADIX_INT = /^0([xob])((?:_?[0-9a-f])+)(?![\w.])/i;

function parseNumber(cur: Cursor): unknown {
  const rest = cur.text.slice(cur.pos);
  const radix = RADIX_INT.exec(rest);
  if (radix) {
    const base = { x: 16, o: 8, b: 2 }[(radix[1] as string).toLowerCase() as 'x' | 'o' | 'b'];
    const digits = (radix[2] as string).replace(/_/g, '');
    const valid = base === 16 ? /^[0-9a-f]+$/i : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
    if (!valid.test(digits)) fail();
    cur.pos += radix[0].length;
    return parseInt(digits, base);
  }
  const float = FLOAT.exec(rest);
  if (float) {
    cur.pos += float[0].length;
    const n = Number(float[0].replace(/_/g, ''));
    return Number.isInteger(n) ? new PyFloat(n) : n;
  }
  const int = INT.exec(rest);
  if (!int) return fail();
  const digits = int[0].replace(/_/g, '');
  // Python 3 rejects leading zeros in a non-zero decimal ("010")
  if (/^0+[1-9]/.test(digits)) fail();
  cur.pos += int[0].length;
  return Number(digits);
}

/** One or more adjacent string literals, concatenated as Python does. */
function parseStrings(cur: Cursor): string {
  let out = '';
  let kinds = '';
  for (;;) {
    skipSpace(cur);
    const m = /^([rRuUbB]{0,2})('''|"""|'|")/.exec(cur.text.slice(cur.pos));
    if (!m) break;
    const prefix = (m[1] as string).toLowerCase();
    if (prefix && !/^(r|u|b|br|rb)$/.test(prefix)) fail();
    kinds += prefix.includes('b') ? 'b' : 's';
    cur.pos += m[0].length;
    out += readStringBody(cur, m[2] as string, prefix.includes('r'));
  }
  // Python forbids mixing bytes and str literals in one concatenation
  if (kinds.includes('b') && kinds.includes('s')) fail();
  return out;
}

function readStringBody(cur: Cursor, quote: string, raw: boolean): string {
  let out = '';
  const triple = quote.length === 3;
  for (;;) {
    if (cur.pos >= cur.text.length) fail();
    if (cur.text.startsWith(quote, cur.pos)) {
      cur.pos += quote.length;
      return out;
    }
    const c = cur.text[cur.pos] as string;
    if (!triple && c === '\n') fail();
    if (c !== '\\') {
      out += c;
      cur.pos++;
      continue;
    }
    const next = cur.text[cur.pos + 1];
    if (next === undefined) fail();
    if (raw) {
      out += c + next;
      cur.pos += 2;
      continue;
    }
    cur.pos += 2;
    out += unescape(cur, next);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '',
};

function unescape(cur: Cursor, esc: string): string {
  const simple = SIMPLE_ESCAPES[esc];
  if (simple !== undefined) return simple;
  const hexLen = esc === 'x' ? 2 : esc === 'u' ? 4 : esc === 'U' ? 8 : 0;
  if (hexLen) {
    const hex = cur.text.slice(cur.pos, cur.pos + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) fail();
    cur.pos += hexLen;
    return String.fromCodePoint(parseInt(hex, 16));
  }
  if (/[0-7]/.test(esc)) {
    const more = /^[0-7]{0,2}/.exec(cur.text.slice(cur.pos))?.[0] ?? '';
    cur.pos += more.length;
    return String.fromCodePoint(parseInt(esc + more, 8));
  }
  return '\\' + esc; // unknown escapes keep the backslash
}
