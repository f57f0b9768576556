// Core value filters: defaults, type conversions, ternary, type_debug, numbers.
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { isDict, isLazyMapping, isUndefined, PyFloat, pyStr, truthy, Undefined } from '../pyvalues';
import { getAttr as pyGetAttr } from '../evaluator';
import { getAttr, isNumeric, iterate, num, opt, pyTypeName, requireArgs, requireDefined } from './helpers';

/** A JS number as a Python float (integral values wrapped so they print "2.0"). */
export function pyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

const defaultFilter: FilterFn = (_ctx, value, args, kwargs) => {
  const fallback = opt<unknown>(args, kwargs, 0, 'default_value', '');
  const boolean = truthy(opt(args, kwargs, 1, 'boolean', false));
  if (isUndefined(value) || (boolean && !truthy(value))) return fallback;
  return value;
};

const mandatory: FilterFn = (_ctx, value, args, kwargs) => {
  if (isUndefined(value)) {
    const msg = opt<unknown>(args, kwargs, 0, 'msg', null);
    if (msg !== null && msg !== undefined) throw new TemplateError(pyStr(msg));
    // Ansible builds the name as "'x' " and puts it between two spaces: "variable 'x'  not defined."
    const name = value.name ? `'${value.name}' ` : '';
    throw new TemplateError(`Mandatory variable ${name} not defined.`);
  }
  return value;
};

/** Ansible's bool filter (not Python's bool()). */
const boolFilter: FilterFn = (_ctx, value) => {
  requireDefined(value);
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return ['yes', 'on', '1', 'true'].includes(value.toLowerCase());
  if (isNumeric(value)) return num(value) === 1;
  return false;
};

function parseIntBase(s: string, base: number): number | undefined {
  let t = s.trim().replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  const prefixes: Record<number, string> = { 16: '0x', 8: '0o', 2: '0b' };
  const prefix = prefixes[base];
  if (prefix && t.startsWith(prefix)) t = t.slice(2);
  if (base === 0) {
    const m = /^0([xob])/.exec(t);
    base = m ? { x: 16, o: 8, b: 2 }[m[1] as 'x' | 'o' | 'b'] : 10;
    if (m) t = t.slice(2);
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (t === '' || [...t].some((c) => !digits.includes(c))) return undefined;
  return sign * parseInt(t, base);
}

function parsePyFloat(v: unknown): number | undefined {
  if (isNumeric(v)) return Number(num(v));
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase().replace(/_/g, '');
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

const intFilter: FilterFn = (_ctx, value, args, kwargs) => {
  requireDefined(value);
  const dflt = opt<unknown>(args, kwargs, 0, 'default', 0);
  const base = Number(opt(args, kwargs, 1, 'base', 10));
  if (typeof value === 'string') {
    const n = parseIntBase(value, base);
    if (n !== undefined) return n;
  } else if (typeof value === 'boolean') return value ? 1 : 0;
  const f = parsePyFloat(value);
  if (f === undefined || !Number.isFinite(f)) return dflt;
  return Math.trunc(f) + 0;
};

const floatFilter: FilterFn = (_ctx, value, args, kwargs) => {
  requireDefined(value);
  const dflt = opt<unknown>(args, kwargs, 0, 'default', new PyFloat(0));
  if (typeof value === 'boolean') return new PyFloat(value ? 1 : 0);
  const f = parsePyFloat(value);
  return f === undefined ? dflt : pyFloat(f);
};

const length: FilterFn = (_ctx, value) => {
  requireDefined(value);
  if (typeof value === 'string') return Array.from(value).length;
  if (Array.isArray(value)) return value.length;
  if (isLazyMapping(value)) return value.keys().length;
  if (isDict(value)) return Object.keys(value).length;
  throw new TemplateError(`object of type '${pyTypeName(value)}' has no len()`);
};

const first: FilterFn = (_ctx, value) => {
  const items = iterate(value);
  return items.length ? items[0] : new Undefined('first', 'No first item, sequence was empty.');
};

const last: FilterFn = (_ctx, value) => {
  const items = iterate(value);
  return items.length ? items[items.length - 1] : new Undefined('last', 'No last item, sequence was empty.');
};

const ternary: FilterFn = (_ctx, value, args, kwargs) => {
  const trueVal = opt<unknown>(args, kwargs, 0, 'true_val', true);
  const falseVal = opt<unknown>(args, kwargs, 1, 'false_val', false);
  const noneVal = opt<unknown>(args, kwargs, 2, 'none_val', null);
  if ((value === null || value === undefined) && noneVal !== null) return noneVal;
  return truthy(requireDefined(value)) ? trueVal : falseVal;
};

/** Python's round() on a float: exact decimal expansion, ties to even. */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  if (digits < 0) {
    const f = 10 ** -digits;
    return pyRound(x / f, 0) * f;
  }
  const neg = x < 0;
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60));
  const [intPart, frac = ''] = exact.split('.');
  const kept = (intPart ?? '0') + frac.slice(0, digits);
  const rest = frac.slice(digits);
  let n = BigInt(kept);
  const half = '5' + '0'.repeat(rest.length - 1);
  if (rest > half || (rest === half && n % 2n === 1n)) n += 1n;
  const result = Number(n) / 10 ** digits;
  return neg ? -result : result;
}

const round: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs([value, ...args], kwargs);
  const precision = Number(opt(args, kwargs, 0, 'precision', 0));
  const method = String(opt(args, kwargs, 1, 'method', 'common'));
  const x = Number(num(value));
  let r: number;
  // Python's round() keeps an int an int; ceil/floor go through float division.
  if (method === 'common' && typeof value === 'number' && Number.isInteger(value)) return pyRound(x, precision);
  if (method === 'common') r = pyRound(x, precision);
  else if (method === 'ceil') r = Math.ceil(x * 10 ** precision) / 10 ** precision;
  else if (method === 'floor') r = Math.floor(x * 10 ** precision) / 10 ** precision;
  else throw new TemplateError('method must be common, ceil or floor');
  return pyFloat(r);
};

const abs: FilterFn = (_ctx, value) => {
  requireDefined(value);
  if (value instanceof PyFloat) return new PyFloat(Math.abs(value.value));
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number') throw new TemplateError(`bad operand type for abs(): '${pyTypeName(value)}'`);
  return Math.abs(value);
};

export const coreFilters = {
  default: defaultFilter,
  d: defaultFilter,
  mandatory,
  bool: boolFilter,
  int: intFilter,
  float: floatFilter,
  string: (_ctx, value) => pyStr(requireDefined(value)),
  list: (_ctx, value) => [...iterate(value)],
  length,
  count: length,
  first,
  last,
  ternary,
  type_debug: (_ctx, value) => pyTypeName(value),
  // Jinja2's attr() reads Python attributes only: dict keys are not attributes.
  attr: (_ctx, value, args) => {
    requireDefined(value);
    if (isDict(value) || isLazyMapping(value)) return new Undefined(String(args[0]), `'dict object' has no attribute '${String(args[0])}'`);
    return pyGetAttr(value, String(args[0]));
  },
  round,
  abs,
  safe: (_ctx, value) => requireDefined(value),
} satisfies Record<string, FilterFn>;
