// Python operator semantics over the value model: arithmetic, comparison, containment,
// iteration and slicing, with Python's TypeError messages.
import { TemplateError, UndefinedVariableError } from '../errors';
import { VaultedText } from '../vault/vaulted-text';
import { PyFloat, Undefined, isDict, isLazyMapping, isTuple, isUndefined, makeTuple, toNumber } from './pyvalues';

/** A callable value inside templates (methods, macros, globals like range()). */
export class PyCallable {
  constructor(
    readonly name: string,
    readonly fn: (args: unknown[], kwargs: Record<string, unknown>) => unknown,
  ) {}
}

/** A generic Python object with attributes (namespace(), loop, cycler, joiner). */
export class PyObject {
  /** What str() prints (datetime); objects without one print as `<type object>`. */
  str?: string;
  /** The JS value behind it (a Date for datetime, milliseconds for timedelta). */
  native?: unknown;
  constructor(
    readonly typeName: string,
    readonly attrs: Record<string, unknown>,
    readonly call?: (args: unknown[], kwargs: Record<string, unknown>) => unknown,
  ) {}
  toString(): string {
    return this.str ?? `<${this.typeName} object>`;
  }
}

/** Python's TypeError/ValueError/ZeroDivisionError raised from inside a template. */
export class PyTypeError extends TemplateError {
  constructor(message: string) {
    super(message);
    this.name = 'PyTypeError';
  }
}

/** Python errors other than TypeError (ZeroDivisionError, ValueError): Ansible shows their bare message. */
export class PyValueError extends TemplateError {
  constructor(
    message: string,
    /** The Python exception's class (ZeroDivisionError, KeyError...), for tracebacks. */
    readonly pyType = 'ValueError',
  ) {
    super(message);
    this.name = 'PyValueError';
  }
}

export function raiseUndefined(u: Undefined): never {
  throw new UndefinedVariableError(u.name, u.message);
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (isUndefined(v)) return 'AnsibleUndefined';
  if (isLazyMapping(v)) return 'dict';
  if (isDict(v)) return 'dict';
  if (v instanceof PyCallable) return 'function';
  if (v instanceof PyObject) return v.typeName;
  if (v instanceof VaultedText) return 'AnsibleVaultEncryptedUnicode';
  return 'object';
}

/** "'dict object'" as Jinja2 names an object in undefined hints. */
export function objectTypeRepr(v: unknown): string {
  if (v === null || v === undefined) return "'None'";
  return `'${typeName(v)} object'`;
}

export function isNum(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}
function isIntLike(v: unknown): boolean {
  return typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));
}
function num(v: unknown): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : toNumber(v);
}
export function mkFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}
function arith(a: unknown, b: unknown, n: number): number | PyFloat {
  return isIntLike(a) && isIntLike(b) ? n : mkFloat(n);
}
function unsupported(op: string, a: unknown, b: unknown): never {
  throw new PyTypeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}
function checkDefined(...vals: unknown[]): void {
  for (const v of vals) if (isUndefined(v)) raiseUndefined(v);
}

export function binop(op: string, a: unknown, b: unknown, format: (fmt: string, args: unknown) => string): unknown {
  checkDefined(a, b);
  switch (op) {
    case '+':
      if (isNum(a) && isNum(b)) return arith(a, b, num(a) + num(b));
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return isTuple(a) && isTuple(b) ? makeTuple([...a, ...b]) : [...a, ...b];
      return unsupported(op, a, b);
    case '-':
      if (isNum(a) && isNum(b)) return arith(a, b, num(a) - num(b));
      return unsupported(op, a, b);
    case '*':
      if (isNum(a) && isNum(b)) return arith(a, b, num(a) * num(b));
      if ((typeof a === 'string' || Array.isArray(a)) && isIntLike(b)) return repeat(a, num(b));
      if ((typeof b === 'string' || Array.isArray(b)) && isIntLike(a)) return repeat(b, num(a));
      if (typeof a === 'string' || Array.isArray(a) || typeof b === 'string' || Array.isArray(b)) {
        throw new PyTypeError(`can't multiply sequence by non-int of type '${typeName(typeof a === 'string' || Array.isArray(a) ? b : a)}'`);
      }
      return unsupported(op, a, b);
    case '/':
      if (isNum(a) && isNum(b)) {
        if (num(b) === 0) throw new PyValueError('division by zero', 'ZeroDivisionError');
        return mkFloat(num(a) / num(b));
      }
      return unsupported(op, a, b);
    case '//':
      if (isNum(a) && isNum(b)) {
        if (num(b) === 0) throw new PyValueError(isIntLike(a) && isIntLike(b) ? 'integer division or modulo by zero' : 'float divmod()', 'ZeroDivisionError');
        return arith(a, b, Math.floor(num(a) / num(b)));
      }
      return unsupported(op, a, b);
    case '%':
      if (typeof a === 'string') return format(a, b);
      if (isNum(a) && isNum(b)) {
        if (num(b) === 0) throw new PyValueError(isIntLike(a) && isIntLike(b) ? 'integer division or modulo by zero' : 'float modulo', 'ZeroDivisionError');
        const r = num(a) % num(b);
        return arith(a, b, r !== 0 && r < 0 !== num(b) < 0 ? r + num(b) : r);
      }
      return unsupported(op, a, b);
    case '**':
      if (isNum(a) && isNum(b)) {
        if (isIntLike(a) && isIntLike(b) && num(b) >= 0) return Math.pow(num(a), num(b));
        if (num(a) === 0 && num(b) < 0) throw new PyValueError('0.0 cannot be raised to a negative power', 'ZeroDivisionError');
        return mkFloat(Math.pow(num(a), num(b)));
      }
      return unsupported('** or pow()', a, b);
  }
  throw new TemplateError(`unknown operator ${op}`);
}

function repeat(seq: string | unknown[], times: number): string | unknown[] {
  if (typeof seq === 'string') return times > 0 ? seq.repeat(times) : '';
  const out: unknown[] = [];
  for (let i = 0; i < times; i++) out.push(...seq);
  return out;
}

export function unaryMinus(v: unknown): unknown {
  checkDefined(v);
  if (!isNum(v)) throw new PyTypeError(`bad operand type for unary -: '${typeName(v)}'`);
  return v instanceof PyFloat ? new PyFloat(-v.value) : -num(v);
}

export function pyEq(a: unknown, b: unknown): boolean {
  checkDefined(a, b);
  if (isNum(a) && isNum(b)) return num(a) === num(b);
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if ((isDict(a) || isLazyMapping(a)) && (isDict(b) || isLazyMapping(b))) {
    const ka = mapKeys(a);
    const kb = mapKeys(b);
    return ka.length === kb.length && ka.every((k) => kb.includes(k) && pyEq(mapGet(a, k), mapGet(b, k)));
  }
  return a === b;
}

export function mapKeys(m: unknown): string[] {
  return isLazyMapping(m) ? m.keys() : Object.keys(m as object);
}
export function mapGet(m: unknown, k: string): unknown {
  return isLazyMapping(m) ? m.get(k) : (m as Record<string, unknown>)[k];
}

/** a < b with Python's rules; raises TypeError for unorderable types. */
export function pyCompare(op: 'lt' | 'lteq' | 'gt' | 'gteq', a: unknown, b: unknown): boolean {
  checkDefined(a, b);
  const sym = { lt: '<', lteq: '<=', gt: '>', gteq: '>=' }[op];
  const c = order(a, b, sym);
  return op === 'lt' ? c < 0 : op === 'lteq' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0;
}

function order(a: unknown, b: unknown, sym: string): number {
  if (isNum(a) && isNum(b)) return num(a) < num(b) ? -1 : num(a) > num(b) ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i], b[i])) return order(a[i], b[i], sym);
    }
    return a.length - b.length;
  }
  throw new PyTypeError(`'${sym}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyContains(container: unknown, item: unknown): boolean {
  checkDefined(container, item);
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new PyTypeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (isLazyMapping(container)) return container.has(String(item));
  if (isDict(container)) return typeof item === 'string' || isNum(item) ? Object.prototype.hasOwnProperty.call(container, String(num2key(item))) : false;
  throw new PyTypeError(`argument of type '${typeName(container)}' is not iterable`);
}

function num2key(v: unknown): string {
  return typeof v === 'string' ? v : String(num(v));
}

export function pyIter(v: unknown): unknown[] {
  if (isUndefined(v) && v.lenient) return [];
  checkDefined(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (isLazyMapping(v)) return v.keys();
  if (isDict(v)) return Object.keys(v);
  throw new PyTypeError(`'${typeName(v)}' object is not iterable`);
}

export function pyLen(v: unknown): number {
  checkDefined(v);
  if (typeof v === 'string') return Array.from(v).length;
  if (Array.isArray(v)) return v.length;
  if (isLazyMapping(v)) return v.keys().length;
  if (isDict(v)) return Object.keys(v).length;
  throw new PyTypeError(`object of type '${typeName(v)}' has no len()`);
}

/** Python slice semantics over a list or string. */
export function pySlice(seq: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  checkDefined(seq);
  const items = typeof seq === 'string' ? Array.from(seq) : Array.isArray(seq) ? seq : undefined;
  if (!items) throw new PyTypeError(`'${typeName(seq)}' object is not subscriptable`);
  const len = items.length;
  const st = step === null || step === undefined ? 1 : num(step);
  if (st === 0) throw new PyTypeError('slice step cannot be zero');
  const norm = (v: unknown, dflt: number, lo: number, hi: number): number => {
    if (v === null || v === undefined) return dflt;
    let n = num(v);
    if (n < 0) n += len;
    return Math.min(Math.max(n, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, len);
    const b = norm(stop, len, 0, len);
    for (let i = a; i < b; i += st) out.push(items[i]);
  } else {
    const a = norm(start, len - 1, -1, len - 1);
    const b = norm(stop, -1, -1, len - 1);
    for (let i = a; i > b; i += st) out.push(items[i]);
  }
  return typeof seq === 'string' ? out.join('') : out;
}

/** obj[index] for lists/strings: Undefined when out of range (Jinja2 behaviour). */
export function indexSeq(seq: unknown[] | string, key: unknown): unknown {
  const items = typeof seq === 'string' ? Array.from(seq) : seq;
  let i = num(key);
  if (i < 0) i += items.length;
  if (i < 0 || i >= items.length) return new Undefined(String(key), `${typeName(seq)} object has no element ${String(key)}`);
  return items[i];
}
