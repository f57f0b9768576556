// Evaluates Jinja2 expressions with Python semantics: names, attribute/item access, operators,
// filters, tests and calls.
import { opened } from '../vault/vaulted-text';
import { TemplateError } from '../errors';
import type { Expr } from './ast';
import { FILTER_INPUT } from './ast';
import type { Frame, RenderEnv } from './env';
import { getMethod } from './methods';
import { percentFormat } from './pyformat';
import {
  PyCallable,
  PyObject,
  PyTypeError,
  binop,
  indexSeq,
  isNum,
  objectTypeRepr,
  pyCompare,
  pyContains,
  pyEq,
  pySlice,
  raiseUndefined,
  typeName,
  unaryMinus,
} from './pyops';
import { Undefined, isDict, isLazyMapping, isUndefined, makeTuple, pyStr, truthy } from './pyvalues';
import { shortPluginName } from './plugins';
import { datetimeBinop, datetimeOrder } from './pydatetime';

/** Errors Jinja2 raises at compile time (unknown filter/test): Ansible reports them as syntax errors. */
export class TemplateCompileError extends TemplateError {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateCompileError';
  }
}

/** Filters and tests that see a vaulted value as the object, not its plaintext. */
const VAULT_AWARE = new Set(['type_debug', 'unvault', 'vault_encrypted']);

/** Filters that accept an undefined input; every other filter raises on it as StrictUndefined does. */
const UNDEFINED_FRIENDLY_FILTERS = new Set(['default', 'd', 'mandatory', 'type_debug']);

export function pyTruthy(v: unknown): boolean {
  if (isUndefined(v) && !v.lenient) raiseUndefined(v);
  return truthy(v);
}

function dictKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === true) return 'True';
  if (k === false) return 'False';
  if (k === null) return 'None';
  return pyStr(k);
}

export function getAttr(obj: unknown, name: string): unknown {
  // AnsibleUndefined returns itself for attribute access, so `a.b.c | default()` works
  if (isUndefined(obj)) return obj;
  if (obj instanceof PyObject) {
    return Object.prototype.hasOwnProperty.call(obj.attrs, name) ? obj.attrs[name] : new Undefined(name, `${objectTypeRepr(obj)} has no attribute '${name}'`, false, obj);
  }
  const method = getMethod(obj, name, getAttr);
  if (method) return method;
  if (isLazyMapping(obj)) return obj.has(name) ? obj.get(name) : new Undefined(name, `${objectTypeRepr(obj)} has no attribute '${name}'`, false, obj);
  if (isDict(obj) && Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  return new Undefined(name, `${objectTypeRepr(obj)} has no attribute '${name}'`, false, obj);
}

export function getItem(obj: unknown, key: unknown): unknown {
  if (isUndefined(obj)) return obj;
  if (isUndefined(key)) raiseUndefined(key);
  if ((typeof obj === 'string' || Array.isArray(obj)) && (typeof key === 'number' || typeof key === 'boolean')) {
    if (typeof key === 'number' && !Number.isInteger(key)) return new Undefined(pyStr(key), `${typeName(obj)} object has no element ${pyStr(key)}`, false, obj);
    return indexSeq(obj, key);
  }
  if (isLazyMapping(obj)) {
    const k = dictKey(key);
    if (obj.has(k)) return obj.get(k);
  } else if (isDict(obj)) {
    const k = dictKey(key);
    if (Object.prototype.hasOwnProperty.call(obj, k)) return obj[k];
  } else if (obj instanceof PyObject && typeof key === 'string' && Object.prototype.hasOwnProperty.call(obj.attrs, key)) {
    return obj.attrs[key];
  }
  if (typeof key === 'string') return getAttr(obj, key);
  return new Undefined(pyStr(key), `${objectTypeRepr(obj)} has no attribute ${pyStr(key)}`, false, obj);
}

export function callValue(fn: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
  if (fn instanceof PyCallable) return fn.fn(args, kwargs);
  if (fn instanceof PyObject && fn.call) return fn.call(args, kwargs);
  if (isUndefined(fn)) raiseUndefined(fn);
  throw new PyTypeError(`'${typeName(fn)}' object is not callable`);
}

export class Evaluator {
  constructor(readonly env: RenderEnv) {}

  eval(e: Expr, frame: Frame): unknown {
    switch (e.kind) {
      case 'const':
        return e.value;
      case 'name':
        return opened(this.lookupName(e.name, frame));
      case 'list':
        return e.items.map((x) => this.eval(x, frame));
      case 'tuple':
        return makeTuple(e.items.map((x) => this.eval(x, frame)));
      case 'dict': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of e.pairs) out[dictKey(this.eval(k, frame))] = this.eval(v, frame);
        return out;
      }
      case 'getattr':
        return opened(getAttr(this.eval(e.obj, frame), e.attr));
      case 'getitem': {
        const obj = this.eval(e.obj, frame);
        if (e.key.kind === 'slice') {
          const s = e.key;
          const part = (x: Expr | undefined): unknown => (x ? this.eval(x, frame) : null);
          return pySlice(obj, part(s.start), part(s.stop), part(s.step));
        }
        return opened(getItem(obj, this.eval(e.key, frame)));
      }
      case 'slice':
        throw new TemplateError('slice outside of subscript');
      case 'call':
        return this.evalCall(e, frame);
      case 'filter': {
        const operand = e.value ? (VAULT_AWARE.has(shortPluginName(e.name)) ? this.evalKeepVaulted(e.value, frame) : this.eval(e.value, frame)) : undefined;
        return this.applyFilter(e.name, operand, e.args, e.kwargs, frame);
      }
      case 'test':
        if (e.name === 'escaped' && producesMarkup(e.value)) {
          this.eval(e.value, frame);
          return true;
        }
        if (VAULT_AWARE.has(shortPluginName(e.name))) return this.applyTest(e.name, this.evalKeepVaulted(e.value, frame), e.args, e.kwargs, frame);
        return this.applyTest(e.name, this.eval(e.value, frame), e.args, e.kwargs, frame);
      case 'binop': {
        const left = this.eval(e.left, frame);
        const right = this.eval(e.right, frame);
        return datetimeBinop(e.op, left, right) ?? binop(e.op, left, right, percentFormat);
      }
      case 'unary': {
        const v = this.eval(e.operand, frame);
        if (e.op === 'not') return !pyTruthy(v);
        if (e.op === '-') return unaryMinus(v);
        if (isUndefined(v)) raiseUndefined(v);
        if (!isNum(v)) throw new PyTypeError(`bad operand type for unary +: '${typeName(v)}'`);
        return v;
      }
      case 'and': {
        const l = this.eval(e.left, frame);
        return pyTruthy(l) ? this.eval(e.right, frame) : l;
      }
      case 'or': {
        const l = this.eval(e.left, frame);
        return pyTruthy(l) ? l : this.eval(e.right, frame);
      }
      case 'compare': {
        let left = this.eval(e.first, frame);
        for (const [op, rightExpr] of e.ops) {
          const right = this.eval(rightExpr, frame);
          if (!compareOne(op, left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'cond':
        if (pyTruthy(this.eval(e.test, frame))) return this.eval(e.then, frame);
        return e.else ? this.eval(e.else, frame) : new Undefined('', 'the inline if-expression evaluated to false and no else section was defined.', true);
      case 'concat':
        return e.items.map((x) => this.toText(this.eval(x, frame))).join('');
    }
  }

  /** str(value) as Jinja2 prints it; Undefined raises (StrictUndefined). */
  toText(v: unknown): string {
    if (isUndefined(v) && !v.lenient) raiseUndefined(v);
    return pyStr(v);
  }

  lookupName(name: string, frame: Frame): unknown {
    const local = frame.lookup(name);
    if (local.found) return local.value;
    if (name === FILTER_INPUT_NAME) return undefined;
    const v = this.env.resolve(name);
    if (!isUndefined(v)) return v;
    const g = this.env.global(name);
    return g === undefined ? v : g;
  }

  evalArgs(args: Expr[], kwargs: [string, Expr][], frame: Frame): { args: unknown[]; kwargs: Record<string, unknown> } {
    const kw: Record<string, unknown> = {};
    for (const [k, v] of kwargs) kw[k] = this.eval(v, frame);
    return { args: args.map((a) => this.eval(a, frame)), kwargs: kw };
  }

  private evalCall(e: Extract<Expr, { kind: 'call' }>, frame: Frame): unknown {
    const fn = this.eval(e.fn, frame);
    const { args, kwargs } = this.evalArgs(e.args, e.kwargs, frame);
    if (e.dynArgs) {
      const extra = this.eval(e.dynArgs, frame);
      if (Array.isArray(extra)) args.push(...extra);
    }
    if (e.dynKwargs) {
      const extra = this.eval(e.dynKwargs, frame);
      if (isDict(extra)) Object.assign(kwargs, extra);
    }
    return callValue(fn, args, kwargs);
  }

  /** A variable, attribute or item as stored: a vaulted value stays the object (for type_debug, vault_encrypted, unvault). */
  private evalKeepVaulted(e: Expr, frame: Frame): unknown {
    if (e.kind === 'name') return this.lookupName(e.name, frame);
    if (e.kind === 'getattr') return getAttr(this.eval(e.obj, frame), e.attr);
    if (e.kind === 'getitem' && e.key.kind !== 'slice') return getItem(this.eval(e.obj, frame), this.eval(e.key, frame));
    return this.eval(e, frame);
  }

  applyFilter(name: string, value: unknown, argExprs: Expr[], kwExprs: [string, Expr][], frame: Frame): unknown {
    const short = shortPluginName(name);
    const fn = this.env.plugins.filters[short];
    if (!fn || !Object.prototype.hasOwnProperty.call(this.env.plugins.filters, short)) {
      throw new TemplateCompileError(`Could not load "${name}": '${name}'`);
    }
    if (isUndefined(value) && !UNDEFINED_FRIENDLY_FILTERS.has(short)) raiseUndefined(value);
    const { args, kwargs } = this.evalArgs(argExprs, kwExprs, frame);
    return fn(this.env.pluginContext, value, args, kwargs);
  }

  applyTest(name: string, value: unknown, argExprs: Expr[], kwExprs: [string, Expr][], frame: Frame): boolean {
    const short = shortPluginName(name);
    const { args, kwargs } = this.evalArgs(argExprs, kwExprs, frame);
    const fn = Object.prototype.hasOwnProperty.call(this.env.plugins.tests, short) ? this.env.plugins.tests[short] : undefined;
    if (fn) return fn(this.env.pluginContext, value, args, kwargs);
    const core = CORE_TESTS[short];
    if (core) return core(value, args);
    throw new TemplateCompileError(`Could not load "${name}": '${name}'`);
  }
}

/** Jinja2 filters whose result is a Markup string (has __html__), for the `escaped` test. */
const MARKUP_FILTERS = new Set(['escape', 'e', 'forceescape', 'safe', 'urlize', 'tojson']);

/** JS strings carry no Markup flag, so the `escaped` test looks at the expression that made the value. */
function producesMarkup(e: Expr): boolean {
  return e.kind === 'filter' && MARKUP_FILTERS.has(shortPluginName(e.name));
}

const FILTER_INPUT_NAME = (FILTER_INPUT as { name: string }).name;

/** Tests the evaluator itself needs (conditionals work before the test library is loaded). */
const CORE_TESTS: Record<string, (v: unknown, args: unknown[]) => boolean> = {
  defined: (v) => !isUndefined(v),
  undefined: (v) => isUndefined(v),
  none: (v) => v === null,
  eq: (v, a) => pyEq(v, a[0]),
  equalto: (v, a) => pyEq(v, a[0]),
  '==': (v, a) => pyEq(v, a[0]),
  ne: (v, a) => !pyEq(v, a[0]),
  '!=': (v, a) => !pyEq(v, a[0]),
  in: (v, a) => pyContains(a[0], v),
  sameas: (v, a) => v === a[0],
  string: (v) => typeof v === 'string',
  number: (v) => isNum(v) && typeof v !== 'boolean',
  boolean: (v) => typeof v === 'boolean',
  mapping: (v) => isDict(v) || isLazyMapping(v),
};

function compareOne(op: string, a: unknown, b: unknown): boolean {
  const dt = datetimeOrder(a, b);
  if (dt !== undefined) {
    const table: Record<string, boolean> = { eq: dt === 0, ne: dt !== 0, lt: dt < 0, lteq: dt <= 0, gt: dt > 0, gteq: dt >= 0 };
    if (op in table) return table[op] as boolean;
  }
  switch (op) {
    case 'eq':
      return pyEq(a, b);
    case 'ne':
      return !pyEq(a, b);
    case 'in':
      return pyContains(b, a);
    case 'notin':
      return !pyContains(b, a);
    default:
      return pyCompare(op as 'lt' | 'lteq' | 'gt' | 'gteq', a, b);
  }
}
