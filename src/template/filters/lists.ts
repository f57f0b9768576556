// List filters: aggregation (min/max/sum), sorting, set theory, flatten, join,
// batch/slice, zip and itertools combinatorics, log/pow/root.
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { isDict, isLazyMapping, makeTuple, pyStr, truthy, Undefined } from '../pyvalues';
import { pyFloat } from './core';
import { attrGetter, isNumeric, iterate, num, opt, pyCompare, pyEquals, requireArgs, requireDefined } from './helpers';

type KeyFn = (item: unknown) => unknown;

/** Jinja2's sort/min/max key: optional attribute(s) and lowercase strings unless case_sensitive. */
function sortKey(attribute: unknown, caseSensitive: boolean): KeyFn {
  const fold = (v: unknown) => (!caseSensitive && typeof v === 'string' ? v.toLowerCase() : v);
  if (attribute === null || attribute === undefined) return fold;
  const getters = typeof attribute === 'string' ? attribute.split(',').map((a) => attrGetter(a.trim())) : [attrGetter(attribute)];
  if (getters.length === 1) return (item) => fold(requireDefined(getters[0]!(item)));
  return (item) => getters.map((g) => fold(requireDefined(g(item))));
}

function sorted(items: unknown[], key: KeyFn, reverse = false): unknown[] {
  const keyed = items.map((item) => ({ item, k: key(item) }));
  keyed.sort((a, b) => (reverse ? pyCompare(b.k, a.k) : pyCompare(a.k, b.k)));
  return keyed.map((e) => e.item);
}

function minMax(sign: 1 | -1): FilterFn {
  return (_ctx, value, args, kwargs) => {
    requireArgs(args, kwargs);
    const items = iterate(value);
    const key = sortKey(opt(args, kwargs, 1, 'attribute', null), Boolean(opt(args, kwargs, 0, 'case_sensitive', false)));
    if (!items.length) return new Undefined(sign > 0 ? 'max' : 'min', 'No aggregated item, sequence was empty.');
    let best = items[0];
    let bestKey = key(best);
    for (const item of items.slice(1)) {
      const k = key(item);
      if (pyCompare(k, bestKey) * sign > 0) {
        best = item;
        bestKey = k;
      }
    }
    return best;
  };
}

/** Python's a + b for numbers, strings and lists. */
export function pyAdd(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) {
    const r = Number(num(a)) + Number(num(b));
    const floaty = !(Number.isInteger(num(a)) && typeof a !== 'object') || !(Number.isInteger(num(b)) && typeof b !== 'object');
    return floaty ? pyFloat(r) : r;
  }
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw new TemplateError(`unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'list' : typeof v === 'string' ? 'str' : isDict(v) ? 'dict' : v === null ? 'NoneType' : 'int';
}

const sum: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  const attribute = opt<unknown>(args, kwargs, 0, 'attribute', null);
  let total = opt<unknown>(args, kwargs, 1, 'start', 0);
  const get = attribute === null ? (x: unknown) => x : attrGetter(attribute);
  for (const item of iterate(value)) total = pyAdd(total, requireDefined(get(item)));
  return total;
};

const sort: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  const reverse = Boolean(opt(args, kwargs, 0, 'reverse', false));
  const caseSensitive = Boolean(opt(args, kwargs, 1, 'case_sensitive', false));
  const attribute = opt<unknown>(args, kwargs, 2, 'attribute', null);
  return sorted(iterate(value), sortKey(attribute, caseSensitive), reverse);
};

/** Jinja2's unique: first occurrence wins, strings compared case-insensitively unless asked. */
export function uniqueList(items: unknown[], caseSensitive: boolean, attribute: unknown = null): unknown[] {
  const key = sortKey(attribute, caseSensitive);
  const seenKeys: unknown[] = [];
  const out: unknown[] = [];
  for (const item of items) {
    const k = key(item);
    if (seenKeys.some((s) => pyEquals(s, k))) continue;
    seenKeys.push(k);
    out.push(item);
  }
  return out;
}

/**
 * Ansible's unique: Jinja2's (hash-based) first; when an item cannot be hashed (a dict or list)
 * it falls back to plain equality, unless case_sensitive=False or attribute was given.
 */
const unique: FilterFn = (_ctx, value, args, kwargs) => {
  const items = iterate(value);
  const caseSensitive = opt<unknown>(args, kwargs, 0, 'case_sensitive', null);
  const attribute = opt<unknown>(args, kwargs, 1, 'attribute', null);
  const key = sortKey(attribute, Boolean(caseSensitive));
  const unhashable = items.map(key).find((k) => Array.isArray(k) || isDict(k) || isLazyMapping(k));
  if (unhashable === undefined) return uniqueList(items, Boolean(caseSensitive), attribute);
  if (caseSensitive === false || truthy(attribute)) {
    throw new TemplateError(`Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied. unhashable type: '${typeName(unhashable)}'`);
  }
  const out: unknown[] = [];
  for (const x of items) if (!contains(out, x)) out.push(x);
  return out;
};

const contains = (list: unknown[], x: unknown) => list.some((y) => pyEquals(x, y));

function setOp(op: (a: unknown[], b: unknown[]) => unknown[]): FilterFn {
  return (_ctx, value, args) => {
    const a = iterate(value);
    const b = iterate(args[0]);
    return uniqueList(op(a, b), true);
  };
}

function flattenList(items: unknown[], levels: number | null, skipNulls = true): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    if (skipNulls && (item === null || item === 'None' || item === 'null')) continue;
    if (Array.isArray(item) && (levels === null || levels > 0)) {
      out.push(...flattenList(item, levels === null ? null : levels - 1, skipNulls));
    } else out.push(item);
  }
  return out;
}

const join: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  const sep = pyStr(opt(args, kwargs, 0, 'd', ''));
  const attribute = opt<unknown>(args, kwargs, 1, 'attribute', null);
  const get = attribute === null ? (x: unknown) => x : attrGetter(attribute);
  return iterate(value)
    .map((x) => pyStr(requireDefined(get(x))))
    .join(sep);
};

const batch: FilterFn = (_ctx, value, args, kwargs) => {
  const size = Number(opt(args, kwargs, 0, 'linecount', 1));
  const fill = opt<unknown>(args, kwargs, 1, 'fill_with', null);
  const items = iterate(value);
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  const lastRow = out[out.length - 1];
  if (fill !== null && lastRow) while (lastRow.length < size) lastRow.push(fill);
  return out;
};

const slice: FilterFn = (_ctx, value, args, kwargs) => {
  const slices = Number(opt(args, kwargs, 0, 'slices', 1));
  const fill = opt<unknown>(args, kwargs, 1, 'fill_with', null);
  const seq = iterate(value);
  const perSlice = Math.floor(seq.length / slices);
  const withExtra = seq.length % slices;
  const out: unknown[][] = [];
  let offset = 0;
  for (let n = 0; n < slices; n++) {
    const start = offset + n * perSlice;
    if (n < withExtra) offset++;
    const end = offset + (n + 1) * perSlice;
    const part = seq.slice(start, end);
    if (fill !== null && n >= withExtra) part.push(fill);
    out.push(part);
  }
  return out;
};

function zipLists(lists: unknown[][], longest: boolean, fill: unknown): unknown[][] {
  if (!lists.length) return [];
  const len = longest ? Math.max(...lists.map((l) => l.length)) : Math.min(...lists.map((l) => l.length));
  const out: unknown[][] = [];
  for (let i = 0; i < len; i++) out.push(makeTuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  return out;
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]).map(makeTuple);
}

function combinations(items: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]];
  const out: unknown[][] = [];
  items.forEach((x, i) => {
    for (const rest of combinations(items.slice(i + 1), r - 1)) out.push([x, ...rest]);
  });
  return out;
}

function permutations(items: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]];
  const out: unknown[][] = [];
  items.forEach((x, i) => {
    const others = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const rest of permutations(others, r - 1)) out.push([x, ...rest]);
  });
  return out;
}

function mathFn(name: string, fn: (x: number, ...rest: number[]) => number): FilterFn {
  return (_ctx, value, args) => {
    requireArgs([value, ...args], {});
    if (!isNumeric(value)) throw new TemplateError(`${name}() can only be used on numbers: must be real number, not ${typeName(value)}`);
    return pyFloat(fn(Number(num(value)), ...args.map((a) => Number(num(a)))));
  };
}

export const listFilters = {
  min: minMax(-1),
  max: minMax(1),
  sum,
  sort,
  unique,
  union: setOp((a, b) => [...a, ...b]),
  intersect: setOp((a, b) => a.filter((x) => contains(b, x))),
  difference: setOp((a, b) => a.filter((x) => !contains(b, x))),
  symmetric_difference: setOp((a, b) => {
    const both = a.filter((x) => contains(b, x));
    return [...a, ...b].filter((x) => !contains(both, x));
  }),
  flatten: (_ctx, value, args, kwargs) => {
    const levels = opt<unknown>(args, kwargs, 0, 'levels', null);
    const skipNulls = Boolean(opt(args, kwargs, 1, 'skip_nulls', true));
    return flattenList(iterate(value), levels === null ? null : Number(levels), skipNulls);
  },
  join,
  batch,
  slice,
  reverse: (_ctx, value) => (typeof value === 'string' ? Array.from(value).reverse().join('') : [...iterate(value)].reverse()),
  zip: (_ctx, value, args) => zipLists([iterate(value), ...args.map(iterate)], false, null),
  zip_longest: (_ctx, value, args, kwargs) => zipLists([iterate(value), ...args.map(iterate)], true, kwargs.fillvalue ?? null),
  product: (_ctx, value, args, kwargs) => {
    const lists = [iterate(value), ...args.map(iterate)];
    const repeat = Number(kwargs.repeat ?? 1);
    return product(Array.from({ length: repeat }, () => lists).flat());
  },
  combinations: (_ctx, value, args, kwargs) => combinations(iterate(value), Number(opt(args, kwargs, 0, 'r', 0))).map(makeTuple),
  permutations: (_ctx, value, args, kwargs) => {
    const items = iterate(value);
    const r = opt<unknown>(args, kwargs, 0, 'r', null);
    return permutations(items, r === null ? items.length : Number(r)).map(makeTuple);
  },
  log: mathFn('log', (x, base = Math.E) => (base === 10 ? Math.log10(x) : Math.log(x) / Math.log(base))),
  pow: mathFn('pow', (x, y = 1) => Math.pow(x, y)),
  root: mathFn('root', (x, base = 2) => (base === 2 ? Math.sqrt(x) : Math.pow(x, 1 / base))),
} satisfies Record<string, FilterFn>;

export { sorted, sortKey, flattenList };
