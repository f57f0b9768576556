// The value model shared by the whole engine: how Python's types (as Ansible sees
// them) are represented in JavaScript, and how they print (str, repr, json.dumps).
//
//  Python            JavaScript
//  None              null
//  bool              boolean
//  int               number with Number.isInteger(n)   (bigint is not used)
//  float             number that is not an integer, or a PyFloat (integral float, e.g. 2.0)
//  str               string
//  list / tuple      Array
//  dict              plain object (insertion ordered; integer-like keys keep insertion order
//                    only as far as JS allows, which Ansible roles rarely depend on)
//  Undefined         Undefined instance (jinja2's undefined, carries the name for errors)
//  lazy dicts        LazyMapping (hostvars, vars): resolved on access

import { VaultedText } from '../vault/vaulted-text';

/** A float whose value is integral (2.0): JS numbers cannot tell 2.0 from 2. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
}

/** Jinja2's Undefined: the name (or hint) is kept for the error message. */
const MISSING_OBJ: unique symbol = Symbol('jinja2 missing');

export class Undefined {
  constructor(
    readonly name: string,
    readonly hint?: string,
    /** Jinja2's plain Undefined (e.g. `x if false` without else): prints as '' and is falsy instead of raising. */
    readonly lenient = false,
    /** The object an attribute or item was missing from (repr shows it as `obj=`). */
    readonly obj: unknown = MISSING_OBJ,
  ) {}
  /** The message Ansible shows: "'foo' is undefined" or "'dict object' has no attribute 'x'". */
  get message(): string {
    return this.hint ?? `'${this.name}' is undefined`;
  }
}

/** A mapping whose values are computed on access (hostvars, per-host vars). */
export interface LazyMapping {
  readonly [LAZY]: true;
  get(key: string): unknown; // returns an Undefined when missing
  /** The value as str()/repr() show it: Ansible renders hostvars there with fail_on_undefined=False,
   * so a value whose template hits an undefined variable shows as its raw template. */
  reprValue?(key: string): unknown;
  has(key: string): boolean;
  keys(): string[];
}
export const LAZY: unique symbol = Symbol('tsible.lazyMapping');

export function isLazyMapping(v: unknown): v is LazyMapping {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[LAZY] === true;
}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function isNumber(v: unknown): boolean {
  return typeof v === 'number' || v instanceof PyFloat;
}

export function toNumber(v: unknown): number {
  return v instanceof PyFloat ? v.value : (v as number);
}

/** A plain dict (not an array, not null, not one of our special objects). */
const UNSAFE = Symbol('ansible unsafe');

/** Marks a dict or list as Ansible's "unsafe" (registered results): its strings are never templated again. */
export function markUnsafe<T>(v: T): T {
  if (typeof v === 'object' && v !== null) Object.defineProperty(v, UNSAFE, { value: true, enumerable: false });
  return v;
}

export function isUnsafe(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[UNSAFE] === true;
}

export function isDict(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isMapping(v: unknown): boolean {
  return isDict(v) || isLazyMapping(v);
}

/** Python truthiness. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof Undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0; // NaN is truthy in Python too
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isLazyMapping(v)) return v.keys().length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python's repr() of a float. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Object.is(n, -0)) return '-0.0';
  if (Number.isInteger(n)) {
    if (Math.abs(n) >= 1e16) return expRepr(n);
    return `${n}.0`;
  }
  const s = String(n);
  // Python switches to exponent notation below 1e-4 (JS only below 1e-6)
  if (s.includes('e') || Math.abs(n) < 1e-4) return expRepr(n);
  return s;
}

function expRepr(n: number): string {
  // Python: 1e+16, 1.5e-07 (two-digit exponent minimum)
  const s = n.toExponential();
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (!m) return s;
  const exp = (m[3] ?? '').padStart(2, '0');
  return `${m[1]}e${m[2]}${exp}`;
}

function strRepr(s: string): string {
  // Python prefers single quotes unless the string contains ' and no ".
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** Marks an array as a Python tuple (it prints as `(1, 2)`); otherwise it behaves as a list. */
export const TUPLE: unique symbol = Symbol('tsible.tuple');

export function makeTuple<T>(items: T[]): T[] {
  Object.defineProperty(items, TUPLE, { value: true, enumerable: false });
  return items;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** Python's repr(). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'string') return strRepr(v);
  if (v instanceof Undefined) return undefinedRepr(v);
  if (Array.isArray(v)) {
    if (isTuple(v)) return v.length === 1 ? `(${pyRepr(v[0])},)` : '(' + v.map(pyRepr).join(', ') + ')';
    return '[' + v.map(pyRepr).join(', ') + ']';
  }
  if (isLazyMapping(v)) return '{' + v.keys().map((k) => `${strRepr(k)}: ${pyRepr(v.reprValue ? v.reprValue(k) : v.get(k))}`).join(', ') + '}';
  if (isDict(v)) return '{' + Object.entries(v).map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`).join(', ') + '}';
  return String(v);
}

/** repr() of AnsibleUndefined: its hint (None unless Jinja2 gave one), the object searched, the name. */
function undefinedRepr(u: Undefined): string {
  const obj = u.obj === MISSING_OBJ ? 'missing' : pyRepr(u.obj);
  if (u.lenient) return `AnsibleUndefined(hint=${u.hint === undefined ? 'None' : strRepr(u.hint)}, obj=${obj}, name=None)`;
  return `AnsibleUndefined(hint=None, obj=${obj}, name=${strRepr(u.name)})`;
}

/** Python's str() (what Jinja2 prints for {{ v }}). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Undefined) return '';
  return pyRepr(v);
}

export interface JsonDumpOptions {
  indent?: number; // undefined: one line with ", " and ": " separators (Python's default)
  sortKeys?: boolean;
  ensureAscii?: boolean;
}

function jsonString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20) out += '\\u' + code.toString(16).padStart(4, '0');
    else if (ensureAscii && code > 0x7e) {
      if (code > 0xffff) {
        const hi = Math.floor((code - 0x10000) / 0x400) + 0xd800;
        const lo = ((code - 0x10000) % 0x400) + 0xdc00;
        out += '\\u' + hi.toString(16) + '\\u' + lo.toString(16);
      } else out += '\\u' + code.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Python's json.dumps() with Ansible's usual options. */
export function pyJsonDumps(v: unknown, opts: JsonDumpOptions = {}): string {
  const { indent, sortKeys = false, ensureAscii = true } = opts;
  const walk = (x: unknown, depth: number): string => {
    if (x === null || x === undefined || x instanceof Undefined) return 'null';
    if (x === true) return 'true';
    if (x === false) return 'false';
    if (typeof x === 'number') {
      if (Number.isNaN(x)) return 'NaN';
      if (x === Infinity) return 'Infinity';
      if (x === -Infinity) return '-Infinity';
      return Number.isInteger(x) ? String(x) : floatRepr(x);
    }
    if (x instanceof PyFloat) return floatRepr(x.value);
    if (typeof x === 'string') return jsonString(x, ensureAscii);
    // Ansible's JSON encoder shows a vaulted value as its envelope, never the plaintext
    if (x instanceof VaultedText) return `{"__ansible_vault": ${jsonString(x.ciphertext, ensureAscii)}}`;
    let entries: [string | null, unknown][];
    let open: string, close: string;
    if (Array.isArray(x)) {
      entries = x.map((e) => [null, e]);
      open = '[';
      close = ']';
    } else {
      const keys = isLazyMapping(x) ? x.keys() : Object.keys(x as object);
      if (sortKeys) keys.sort();
      entries = keys.map((k) => [k, isLazyMapping(x) ? x.get(k) : (x as Record<string, unknown>)[k]]);
      open = '{';
      close = '}';
    }
    if (entries.length === 0) return open + close;
    const parts = entries.map(([k, e]) => (k === null ? '' : jsonString(k, ensureAscii) + ': ') + walk(e, depth + 1));
    if (indent === undefined) return open + parts.join(', ') + close;
    const pad = ' '.repeat(indent * (depth + 1));
    const endPad = ' '.repeat(indent * depth);
    return open + '\n' + pad + parts.join(',\n' + pad) + '\n' + endPad + close;
  };
  return walk(v, 0);
}

/** Deep copy of plain data (arrays and dicts); other values are shared. */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as unknown as T;
  if (isDict(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
    return out as T;
  }
  return v;
}
