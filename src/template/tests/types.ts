// Jinja2's built-in tests: definedness, types, comparisons, membership, numbers, case.
import { TemplateError } from '../../errors';
import type { TestFn } from '../plugin-types';
import { isDict, isLazyMapping, isUndefined, PyFloat, pyStr } from '../pyvalues';
import { PyCallable, PyObject } from '../pyops';
import { isNumeric, iterate, num, pyCompare, pyEquals, pyTypeName, requireDefined } from '../filters/helpers';

function compare(pred: (c: number) => boolean): TestFn {
  return (_ctx, value, args) => pred(pyCompare(requireDefined(value), requireDefined(args[0])));
}

/** Python's `x in container`. */
export function pyIn(item: unknown, container: unknown): boolean {
  requireDefined(container);
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new TemplateError(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    return container.includes(item);
  }
  if (isLazyMapping(container)) return container.has(pyStr(item));
  if (isDict(container)) return typeof item === 'string' && Object.prototype.hasOwnProperty.call(container, item);
  if (Array.isArray(container)) return container.some((x) => pyEquals(item, x));
  throw new TemplateError(`argument of type '${pyTypeName(container)}' is not iterable`);
}

const eq: TestFn = (_ctx, value, args) => pyEquals(requireDefined(value), args[0]);
const ne: TestFn = (_ctx, value, args) => !pyEquals(requireDefined(value), args[0]);
const isInteger = (v: unknown) => typeof v === 'number' && Number.isInteger(v);

export const typeTests = {
  defined: (_ctx, value) => !isUndefined(value),
  undefined: (_ctx, value) => isUndefined(value),
  none: (_ctx, value) => value === null,
  boolean: (_ctx, value) => typeof value === 'boolean',
  true: (_ctx, value) => value === true,
  false: (_ctx, value) => value === false,
  string: (_ctx, value) => typeof value === 'string',
  number: (_ctx, value) => isNumeric(value),
  integer: (_ctx, value) => isInteger(value),
  float: (_ctx, value) => value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value)),
  mapping: (_ctx, value) => isDict(value) || isLazyMapping(value),
  sequence: (_ctx, value) => typeof value === 'string' || Array.isArray(value) || isDict(value) || isLazyMapping(value),
  iterable: (_ctx, value) => typeof value === 'string' || Array.isArray(value) || isDict(value) || isLazyMapping(value),
  callable: (_ctx, value) => typeof value === 'function' || value instanceof PyCallable || (value instanceof PyObject && value.call !== undefined),
  sameas: (_ctx, value, args) => value === args[0],
  // strings carry no Markup marker: the evaluator answers `x | escape is escaped` itself
  escaped: () => false,
  equalto: eq,
  eq,
  '==': eq,
  ne,
  '!=': ne,
  lt: compare((c) => c < 0),
  '<': compare((c) => c < 0),
  lessthan: compare((c) => c < 0),
  le: compare((c) => c <= 0),
  '<=': compare((c) => c <= 0),
  gt: compare((c) => c > 0),
  '>': compare((c) => c > 0),
  greaterthan: compare((c) => c > 0),
  ge: compare((c) => c >= 0),
  '>=': compare((c) => c >= 0),
  in: (_ctx, value, args) => pyIn(requireDefined(value), args[0]),
  contains: (_ctx, value, args) => pyIn(args[0], value),
  divisibleby: (_ctx, value, args) => num(requireDefined(value)) % num(args[0]) === 0,
  even: (_ctx, value) => num(requireDefined(value)) % 2 === 0,
  odd: (_ctx, value) => Math.abs(num(requireDefined(value)) % 2) === 1,
  lower: (_ctx, value) => {
    const s = pyStr(requireDefined(value));
    return s === s.toLowerCase() && s !== s.toUpperCase();
  },
  upper: (_ctx, value) => {
    const s = pyStr(requireDefined(value));
    return s === s.toUpperCase() && s !== s.toLowerCase();
  },
  nan: (_ctx, value) => Number.isNaN(num(value)),
  isnan: (_ctx, value) => Number.isNaN(num(value)),
  subset: (_ctx, value, args) => iterate(value).every((x) => pyIn(x, [...iterate(args[0])])),
  issubset: (_ctx, value, args) => iterate(value).every((x) => pyIn(x, [...iterate(args[0])])),
  superset: (_ctx, value, args) => iterate(args[0]).every((x) => pyIn(x, [...iterate(value)])),
  issuperset: (_ctx, value, args) => iterate(args[0]).every((x) => pyIn(x, [...iterate(value)])),
} satisfies Record<string, TestFn>;
