// Minimal filters and tests for the Templar's own unit tests (the real libraries live in
// filters/, tests/ and lookups/); behaviour matches Jinja2/Ansible for the cases used.
import type { FilterFn, LookupFn, TestFn } from './plugin-types';
import { pyIter, pyLen, typeName } from './pyops';
import { getAttr } from './evaluator';
import { isUndefined, pyJsonDumps, pyStr, toNumber, truthy } from './pyvalues';

export const testFilters: Record<string, FilterFn> = {
  default: (_c, v, a) => (isUndefined(v) || (a[1] === true && !truthy(v)) ? (a[0] ?? '') : v),
  d: (c, v, a, k) => testFilters.default!(c, v, a, k),
  list: (_c, v) => [...pyIter(v)],
  join: (_c, v, a) => pyIter(v).map(pyStr).join(a[0] === undefined ? '' : pyStr(a[0])),
  length: (_c, v) => pyLen(v),
  upper: (_c, v) => pyStr(v).toUpperCase(),
  string: (_c, v) => pyStr(v),
  int: (_c, v) => {
    const n = parseInt(pyStr(v), 10);
    return Number.isNaN(n) ? 0 : n;
  },
  abs: (_c, v) => Math.abs(toNumber(v)),
  map: (_c, v, a, k) => {
    const attr = k.attribute;
    if (attr === undefined) throw new Error('test map() supports attribute= only');
    return pyIter(v).map((x) => getAttr(x, pyStr(attr)));
  },
  type_debug: (_c, v) => typeName(v),
  to_json: (_c, v) => pyJsonDumps(v),
};

export const testTests: Record<string, TestFn> = {
  divisibleby: (_c, v, a) => toNumber(v) % toNumber(a[0]) === 0,
};

export const testLookups: Record<string, LookupFn> = {
  items: (_c, terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  env: (_c, terms) => terms.map((t) => process.env[pyStr(t)] ?? ''),
  echo: (_c, terms, kw) => terms.map((t) => `${pyStr(t)}${kw.suffix ? pyStr(kw.suffix) : ''}`),
  boom: () => {
    throw new Error('kaboom');
  },
};

export const testPlugins = { filters: testFilters, tests: testTests, lookups: testLookups };
