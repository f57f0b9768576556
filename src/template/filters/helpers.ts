// Shared helpers for filter/test/lookup plugins: Undefined checks, Python-like
// comparison and equality, attribute access and argument coercion.
import { TemplateError, UndefinedVariableError } from '../../errors';
import { PyCallable, PyTypeError, typeName } from '../pyops';
import {
  isDict,
  isLazyMapping,
  isUndefined,
  PyFloat,
  pyRepr,
  Undefined,
} from '../pyvalues';

/** Raises the UndefinedVariableError Jinja2 would when an Undefined is used. */
export function requireDefined<T>(v: T | Undefined): T {
  if (isUndefined(v)) throw new UndefinedVariableError(v.name, v.message);
  return v as T;
}

/** Requires every positional and keyword argument to be defined. */
export function requireArgs(args: unknown[], kwargs: Record<string, unknown>): void {
  for (const a of args) requireDefined(a);
  for (const a of Object.values(kwargs)) requireDefined(a);
}

/**
 * Python type name as the type_debug filter and filter errors print it: pyops' typeName, except
 * that hostvars show their class and plain JS functions, not template callables, count as functions.
 */
export function pyTypeName(v: unknown): string {
  if (isLazyMapping(v)) return 'HostVars';
  if (typeof v === 'function') return 'function';
  if (v instanceof PyCallable) return 'object';
  return typeName(v);
}

export function num(v: unknown): number {
  return v instanceof PyFloat ? v.value : (v as number);
}

export function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}

/** Python ==. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(num(a)) === Number(num(b));
  if (a === null || a === undefined) return b === null || b === undefined;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isDict(a) || isLazyMapping(a)) {
    if (!(isDict(b) || isLazyMapping(b))) return false;
    const ka = mappingKeys(a);
    const kb = mappingKeys(b);
    return ka.length === kb.length && ka.every((k) => kb.includes(k) && pyEquals(getItem(a, k), getItem(b, k)));
  }
  return a === b;
}

/** Python's < ordering, raising TypeError-like messages for mixed types. */
export function pyCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = Number(num(a));
    const y = Number(num(b));
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i]);
    }
    return a.length - b.length;
  }
  throw new TemplateError(
    `'<' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

export function mappingKeys(m: unknown): string[] {
  if (isLazyMapping(m)) return m.keys();
  if (isDict(m)) return Object.keys(m);
  return [];
}

export function getItem(m: unknown, key: string): unknown {
  if (isLazyMapping(m)) return m.get(key);
  if (isDict(m)) return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined;
  return undefined;
}

/** Jinja2 getattr/getitem on one key; Undefined when missing. */
export function getAttr(obj: unknown, key: string | number): unknown {
  if (Array.isArray(obj)) {
    const i = typeof key === 'number' ? key : /^-?\d+$/.test(key) ? Number(key) : NaN;
    if (Number.isNaN(i)) return new Undefined(String(key), `'list object' has no attribute '${key}'`);
    const v = obj[i < 0 ? obj.length + i : i];
    return v === undefined ? new Undefined(String(key), `list object has no element ${key}`) : v;
  }
  if (isLazyMapping(obj)) {
    return obj.has(String(key)) ? obj.get(String(key)) : new Undefined(String(key), `'dict object' has no attribute '${key}'`);
  }
  if (isDict(obj)) {
    const k = String(key);
    if (Object.prototype.hasOwnProperty.call(obj, k)) return obj[k];
    return new Undefined(k, `'dict object' has no attribute '${k}'`);
  }
  if (typeof obj === 'string' && typeof key === 'number') return obj[key] ?? new Undefined(String(key));
  return new Undefined(String(key), `'${pyTypeName(obj)} object' has no attribute '${key}'`);
}

/** Jinja2's make_attrgetter: dotted paths, integer parts index lists. */
export function attrGetter(attribute: unknown, fallback?: unknown): (item: unknown) => unknown {
  const parts = typeof attribute === 'number' ? [attribute] : String(attribute).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => {
    let cur: unknown = item;
    for (const p of parts) {
      cur = getAttr(cur, p);
      if (isUndefined(cur)) break;
    }
    if (isUndefined(cur) && fallback !== undefined) return fallback;
    return cur;
  };
}

/** Iterates a value the way Python's iter() does (dict → keys, str → chars). */
export function iterate(v: unknown): unknown[] {
  requireDefined(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (isLazyMapping(v)) return v.keys();
  if (isDict(v)) return Object.keys(v);
  throw new PyTypeError(`'${pyTypeName(v)}' object is not iterable`);
}

/** kwargs[name] ?? args[index] ?? default. */
export function opt<T>(args: unknown[], kwargs: Record<string, unknown>, index: number, name: string, dflt: T): T {
  if (Object.prototype.hasOwnProperty.call(kwargs, name)) return kwargs[name] as T;
  if (index >= 0 && index < args.length) return args[index] as T;
  return dflt;
}

export function toInt(v: unknown, what = 'int'): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isNumeric(v)) return Math.trunc(num(v));
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return parseInt(v, 10);
  throw new TemplateError(`invalid literal for ${what}() with base 10: ${pyRepr(v)}`);
}

/** A stable key for set-like operations on Python values. */
export function hashKey(v: unknown): string {
  if (isNumeric(v)) return 'n:' + String(Number(num(v)));
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return 's:' + v;
  return 'o:' + JSON.stringify(v);
}
