// Python methods of str, list and dict objects reachable from templates (`'a,b'.split(',')`, `d.items()`).
import { Undefined, isDict, isLazyMapping, makeTuple, pyStr } from './pyvalues';
import { PyCallable, PyTypeError, PyValueError, isNum, mapGet, mapKeys, pyEq, typeName } from './pyops';
import { strFormat } from './pyformat';

const WS = ' \t\n\r\x0b\x0c';

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : String(chars);
  const arr = Array.from(s);
  let a = 0;
  let b = arr.length;
  if (left) while (a < b && set.includes(arr[a] as string)) a++;
  if (right) while (b > a && set.includes(arr[b - 1] as string)) b--;
  return arr.slice(a, b).join('');
}

function splitWs(s: string, max: number): string[] {
  const parts: string[] = [];
  let rest = s.replace(/^\s+/, '');
  while (rest.length) {
    if (max >= 0 && parts.length === max) {
      parts.push(rest);
      return parts;
    }
    const m = /\s+/.exec(rest);
    if (!m) {
      parts.push(rest);
      break;
    }
    parts.push(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  return parts;
}

function split(s: string, sep: unknown, maxArg: unknown): string[] {
  const max = maxArg === undefined ? -1 : Number(maxArg);
  if (sep === undefined || sep === null) return splitWs(s, max);
  const sp = String(sep);
  if (sp === '') throw new PyValueError('empty separator');
  const all = s.split(sp);
  if (max < 0 || all.length <= max + 1) return all;
  return [...all.slice(0, max), all.slice(max).join(sp)];
}

function rsplit(s: string, sep: unknown, maxArg: unknown): string[] {
  const max = maxArg === undefined ? -1 : Number(maxArg);
  if (sep === undefined || sep === null) {
    if (max < 0) return splitWs(s, -1);
    const rev = splitWs(Array.from(s).reverse().join(''), max);
    return rev.map((p) => Array.from(p).reverse().join('')).reverse();
  }
  const sp = String(sep);
  const all = s.split(sp);
  if (max < 0 || all.length <= max + 1) return all;
  return [all.slice(0, all.length - max).join(sp), ...all.slice(all.length - max)];
}

function affix(s: string, arg: unknown, fn: (x: string) => boolean): boolean {
  return Array.isArray(arg) ? arg.some((x) => fn(String(x))) : fn(String(arg));
}

function title(s: string): string {
  return s.replace(/[A-Za-z]+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
}

function pad(s: string, width: unknown, fill: unknown, mode: 'l' | 'r' | 'c'): string {
  const w = Number(width);
  const f = fill === undefined ? ' ' : String(fill);
  const n = w - Array.from(s).length;
  if (n <= 0) return s;
  if (mode === 'l') return s + f.repeat(n);
  if (mode === 'r') return f.repeat(n) + s;
  const left = Math.floor(n / 2) + (n % 2 && w % 2 ? 1 : 0);
  return f.repeat(left) + s + f.repeat(n - left);
}

function findIn(s: string, sub: unknown, start: unknown, end: unknown, fromRight: boolean): number {
  const hay = s.slice(start === undefined ? 0 : Number(start), end === undefined ? undefined : Number(end));
  const i = fromRight ? hay.lastIndexOf(String(sub)) : hay.indexOf(String(sub));
  return i < 0 ? -1 : i + (start === undefined ? 0 : Number(start));
}

const STR_METHODS: Record<string, (s: string, a: unknown[], kw: Record<string, unknown>, ga: (o: unknown, k: string) => unknown) => unknown> = {
  split: (s, a, kw) => split(s, a[0] ?? kw.sep, a[1] ?? kw.maxsplit),
  rsplit: (s, a, kw) => rsplit(s, a[0] ?? kw.sep, a[1] ?? kw.maxsplit),
  splitlines: (s, a) => {
    const parts = s.split(/(\r\n|\r|\n)/);
    const out: string[] = [];
    for (let i = 0; i < parts.length; i += 2) {
      const line = parts[i] as string;
      const nl = parts[i + 1];
      if (line === '' && nl === undefined) break;
      out.push(a[0] ? line + (nl ?? '') : line);
    }
    return out;
  },
  startswith: (s, a) => affix(s, a[0], (x) => s.startsWith(x)),
  endswith: (s, a) => affix(s, a[0], (x) => s.endsWith(x)),
  strip: (s, a) => stripChars(s, a[0], true, true),
  lstrip: (s, a) => stripChars(s, a[0], true, false),
  rstrip: (s, a) => stripChars(s, a[0], false, true),
  replace: (s, a) => {
    const count = a[2] === undefined ? -1 : Number(a[2]);
    const parts = s.split(String(a[0]));
    if (count < 0 || parts.length <= count + 1) return parts.join(String(a[1]));
    return parts.slice(0, count + 1).join(String(a[1])) + String(a[0]) + parts.slice(count + 1).join(String(a[0]));
  },
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: (s) => title(s),
  swapcase: (s) => Array.from(s).map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  format: (s, a, kw, ga) => strFormat(s, a, kw, ga),
  join: (s, a) => {
    const items = a[0];
    const list = Array.isArray(items) ? items : typeof items === 'string' ? Array.from(items) : isDict(items) || isLazyMapping(items) ? mapKeys(items) : undefined;
    if (!list) throw new PyTypeError('can only join an iterable');
    for (const [i, x] of list.entries()) if (typeof x !== 'string') throw new PyTypeError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
    return list.join(s);
  },
  find: (s, a) => findIn(s, a[0], a[1], a[2], false),
  rfind: (s, a) => findIn(s, a[0], a[1], a[2], true),
  index: (s, a) => {
    const i = findIn(s, a[0], a[1], a[2], false);
    if (i < 0) throw new PyValueError('substring not found');
    return i;
  },
  rindex: (s, a) => {
    const i = findIn(s, a[0], a[1], a[2], true);
    if (i < 0) throw new PyValueError('substring not found');
    return i;
  },
  count: (s, a) => (String(a[0]) === '' ? s.length + 1 : s.split(String(a[0])).length - 1),
  isdigit: (s) => /^\d+$/.test(s),
  isnumeric: (s) => /^\d+$/.test(s),
  isdecimal: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\d]+$/u.test(s),
  isspace: (s) => /^\s+$/.test(s),
  isupper: (s) => /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s),
  islower: (s) => /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s),
  istitle: (s) => s.length > 0 && title(s) === s && /[A-Za-z]/.test(s),
  zfill: (s, a) => {
    const w = Number(a[0]);
    const sign = /^[-+]/.test(s) ? s.charAt(0) : '';
    const body = s.slice(sign.length);
    return s.length >= w ? s : sign + '0'.repeat(w - s.length) + body;
  },
  ljust: (s, a) => pad(s, a[0], a[1], 'l'),
  rjust: (s, a) => pad(s, a[0], a[1], 'r'),
  center: (s, a) => pad(s, a[0], a[1], 'c'),
  partition: (s, a) => {
    const i = s.indexOf(String(a[0]));
    return makeTuple(i < 0 ? [s, '', ''] : [s.slice(0, i), String(a[0]), s.slice(i + String(a[0]).length)]);
  },
  rpartition: (s, a) => {
    const i = s.lastIndexOf(String(a[0]));
    return makeTuple(i < 0 ? ['', '', s] : [s.slice(0, i), String(a[0]), s.slice(i + String(a[0]).length)]);
  },
  removeprefix: (s, a) => (s.startsWith(String(a[0])) ? s.slice(String(a[0]).length) : s),
  removesuffix: (s, a) => (String(a[0]) && s.endsWith(String(a[0])) ? s.slice(0, -String(a[0]).length) : s),
  expandtabs: (s) => s.replace(/\t/g, '        '),
};

function listIndex(list: unknown[], x: unknown): number {
  const i = list.findIndex((y) => pyEq(y, x));
  if (i < 0) throw new PyValueError(`${pyStr(x)} is not in list`);
  return i;
}

const LIST_METHODS: Record<string, (l: unknown[], a: unknown[]) => unknown> = {
  append: (l, a) => {
    l.push(a[0]);
    return null;
  },
  extend: (l, a) => {
    l.push(...(Array.isArray(a[0]) ? a[0] : typeof a[0] === 'string' ? Array.from(a[0]) : []));
    return null;
  },
  index: (l, a) => listIndex(l, a[0]),
  count: (l, a) => l.filter((y) => pyEq(y, a[0])).length,
  insert: (l, a) => {
    let i = Number(a[0]);
    if (i < 0) i = Math.max(0, l.length + i);
    l.splice(i, 0, a[1]);
    return null;
  },
  pop: (l, a) => {
    if (!l.length) throw new PyValueError('pop from empty list', 'IndexError');
    let i = a[0] === undefined ? l.length - 1 : Number(a[0]);
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) throw new PyValueError('pop index out of range', 'IndexError');
    return l.splice(i, 1)[0];
  },
  remove: (l, a) => {
    l.splice(listIndex(l, a[0]), 1);
    return null;
  },
  reverse: (l) => {
    l.reverse();
    return null;
  },
  copy: (l) => [...l],
  clear: (l) => {
    l.length = 0;
    return null;
  },
};

function dictKey(k: unknown): string {
  return typeof k === 'string' ? k : isNum(k) ? String(Number(k)) : pyStr(k);
}

const DICT_METHODS: Record<string, (d: Record<string, unknown>, a: unknown[], kw: Record<string, unknown>) => unknown> = {
  items: (d) => Object.entries(d).map(([k, v]) => makeTuple([k, v])),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  get: (d, a) => (Object.prototype.hasOwnProperty.call(d, dictKey(a[0])) ? d[dictKey(a[0])] : a[1] ?? null),
  update: (d, a, kw) => {
    const src = a[0];
    if (isDict(src) || isLazyMapping(src)) for (const k of mapKeys(src)) d[k] = mapGet(src, k);
    else if (Array.isArray(src)) for (const pair of src) if (Array.isArray(pair)) d[dictKey(pair[0])] = pair[1];
    Object.assign(d, kw);
    return null;
  },
  __setitem__: (d, a) => {
    d[dictKey(a[0])] = a[1];
    return null;
  },
  setdefault: (d, a) => {
    const k = dictKey(a[0]);
    if (!Object.prototype.hasOwnProperty.call(d, k)) d[k] = a[1] ?? null;
    return d[k];
  },
  copy: (d) => ({ ...d }),
  pop: (d, a) => {
    const k = dictKey(a[0]);
    if (Object.prototype.hasOwnProperty.call(d, k)) {
      const v = d[k];
      delete d[k];
      return v;
    }
    if (a.length > 1) return a[1];
    throw new PyValueError(`'${k}'`, 'KeyError');
  },
  clear: (d) => {
    for (const k of Object.keys(d)) delete d[k];
    return null;
  },
};

const LAZY_METHODS: Record<string, (d: unknown, a: unknown[]) => unknown> = {
  items: (d) => mapKeys(d).map((k) => makeTuple([k, mapGet(d, k)])),
  keys: (d) => mapKeys(d),
  values: (d) => mapKeys(d).map((k) => mapGet(d, k)),
  get: (d, a) => {
    const v = mapGet(d, dictKey(a[0]));
    return v instanceof Undefined ? a[1] ?? null : v;
  },
};

/** A bound Python method of obj, or undefined when obj has no such method. */
export function getMethod(obj: unknown, name: string, getattr: (o: unknown, k: string) => unknown): PyCallable | undefined {
  if (typeof obj === 'string') {
    const m = STR_METHODS[name];
    return m && Object.prototype.hasOwnProperty.call(STR_METHODS, name) ? new PyCallable(name, (a, kw) => m(obj, a, kw, getattr)) : undefined;
  }
  if (Array.isArray(obj)) {
    const m = LIST_METHODS[name];
    return m && Object.prototype.hasOwnProperty.call(LIST_METHODS, name) ? new PyCallable(name, (a) => m(obj, a)) : undefined;
  }
  if (isLazyMapping(obj)) {
    const m = LAZY_METHODS[name];
    return m && Object.prototype.hasOwnProperty.call(LAZY_METHODS, name) ? new PyCallable(name, (a) => m(obj, a)) : undefined;
  }
  if (isDict(obj)) {
    const m = DICT_METHODS[name];
    return m && Object.prototype.hasOwnProperty.call(DICT_METHODS, name) ? new PyCallable(name, (a, kw) => m(obj, a, kw)) : undefined;
  }
  return undefined;
}
