// Python string formatting: `'%s' % x` (printf style) and str.format() with the format-spec mini language.
import { PyFloat, isDict, isLazyMapping, isTuple, isUndefined, pyRepr, pyStr, toNumber } from './pyvalues';
import { PyTypeError, PyValueError, isNum, mapGet, raiseUndefined, typeName } from './pyops';

interface Spec {
  fill: string;
  align?: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  comma: boolean;
  precision?: number;
  type: string;
}

function parseSpec(spec: string): Spec {
  const m = /^(?:(.)?([<>=^]))?([+\- ]?)(#?)(0?)(\d*)([,_]?)(?:\.(\d+))?([a-zA-Z%]?)$/s.exec(spec);
  if (!m) throw new PyValueError('Invalid format specifier');
  return {
    fill: m[1] ?? (m[5] ? '0' : ' '),
    align: m[2] ?? (m[5] ? '=' : undefined),
    sign: m[3] ?? '',
    alt: m[4] === '#',
    zero: m[5] === '0',
    width: m[6] ? parseInt(m[6], 10) : 0,
    comma: !!m[7],
    precision: m[8] !== undefined ? parseInt(m[8], 10) : undefined,
    type: m[9] ?? '',
  };
}

function numValue(v: unknown): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : toNumber(v);
}

function expo(n: number, prec: number, upper: boolean): string {
  const s = n.toExponential(prec).replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function general(n: number, prec: number, alt: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (n === 0) return alt ? (0).toFixed(p - 1) : '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  let s: string;
  if (exp >= -4 && exp < p) s = n.toFixed(Math.max(0, p - 1 - exp));
  else s = expo(n, p - 1, false);
  if (!alt) s = s.replace(/\.?0+(e|$)/, '$1');
  return s;
}

/** format(value, spec) for the common types. */
export function formatValue(value: unknown, specText: string): string {
  const spec = parseSpec(specText);
  let body: string;
  let numeric = false;
  if (typeof value === 'string' || (!isNum(value) && spec.type === '')) {
    if (spec.type && spec.type !== 's') throw new PyValueError(`Unknown format code '${spec.type}' for object of type '${typeName(value)}'`);
    body = pyStr(value);
    if (spec.precision !== undefined) body = body.slice(0, spec.precision);
  } else {
    numeric = true;
    const n = numValue(value);
    const isInt = typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value));
    let t = spec.type;
    if (t === '' && !isInt) t = spec.precision !== undefined ? 'g' : 'r';
    if (t === '' || t === 'n') t = isInt ? 'd' : 'g';
    const abs = Math.abs(n);
    switch (t) {
      case 'd':
        if (!isInt) throw new PyValueError(`Unknown format code 'd' for object of type 'float'`);
        body = String(abs);
        break;
      case 'r':
        body = pyRepr(value instanceof PyFloat ? new PyFloat(abs) : abs);
        break;
      case 'f':
      case 'F':
        body = abs.toFixed(spec.precision ?? 6);
        break;
      case 'e':
      case 'E':
        body = expo(abs, spec.precision ?? 6, t === 'E');
        break;
      case 'g':
      case 'G':
        body = general(abs, spec.precision ?? 6, spec.alt);
        if (t === 'G') body = body.toUpperCase();
        break;
      case '%':
        body = (abs * 100).toFixed(spec.precision ?? 6) + '%';
        break;
      case 'x':
      case 'X':
      case 'o':
      case 'b':
        body = Math.trunc(abs).toString(t === 'o' ? 8 : t === 'b' ? 2 : 16);
        if (t === 'X') body = body.toUpperCase();
        if (spec.alt) body = '0' + (t === 'X' ? 'X' : t) + body;
        break;
      case 'c':
        body = String.fromCodePoint(n);
        numeric = false;
        break;
      default:
        throw new PyValueError(`Unknown format code '${t}' for object of type '${typeName(value)}'`);
    }
    if (spec.comma) body = body.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    if (numeric) {
      const sign = n < 0 || Object.is(n, -0) ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
      if (spec.align === '=' && spec.width > sign.length + body.length) body = sign + spec.fill.repeat(spec.width - sign.length - body.length) + body;
      else body = sign + body;
    }
  }
  if (body.length >= spec.width) return body;
  const pad = spec.width - Array.from(body).length;
  const align = spec.align ?? (numeric ? '>' : '<');
  if (align === '<') return body + spec.fill.repeat(pad);
  if (align === '>' || align === '=') return spec.fill.repeat(pad) + body;
  const left = Math.floor(pad / 2);
  return spec.fill.repeat(left) + body + spec.fill.repeat(pad - left);
}

/** `fmt % args` (printf-style). */
export function percentFormat(fmt: string, args: unknown): string {
  // only a tuple supplies several arguments; a list is one value
  const positional = isTuple(args) ? (args as unknown[]) : [args];
  const mapping = isDict(args) || isLazyMapping(args) ? args : undefined;
  let next = 0;
  const re = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  const take = (): unknown => {
    if (next >= positional.length) throw new PyTypeError('not enough arguments for format string');
    return positional[next++];
  };
  while ((m = re.exec(fmt))) {
    out += fmt.slice(last, m.index);
    last = re.lastIndex;
    const [, key, flags = '', widthS, precS, conv = 's'] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    const width = widthS === '*' ? numValue(take()) : widthS ? parseInt(widthS, 10) : 0;
    const prec = precS === '*' ? numValue(take()) : precS !== undefined ? parseInt(precS, 10) : undefined;
    const value = key !== undefined && mapping ? mapGet(mapping, key) : take();
    // only %r/%a show an undefined value (its repr); str() and numbers raise as StrictUndefined does
    if (isUndefined(value) && conv !== 'r' && conv !== 'a') raiseUndefined(value);
    let text: string;
    if (conv === 's' || conv === 'r' || conv === 'a') {
      text = conv === 's' ? pyStr(value) : pyRepr(value);
      if (prec !== undefined) text = text.slice(0, prec);
    } else {
      if (!isNum(value)) throw new PyTypeError(`%${conv} format: a real number is required, not ${typeName(value)}`);
      let t = conv === 'i' || conv === 'u' ? 'd' : conv;
      let v: unknown = value;
      if (t === 'd' || t === 'x' || t === 'X' || t === 'o') v = Math.trunc(numValue(value));
      if (t === 'c') t = 'c';
      const spec = `${flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : ''}${flags.includes('#') ? '#' : ''}${prec !== undefined && t !== 'd' ? '.' + prec : ''}${t}`;
      text = formatValue(v, spec);
      if (flags.includes('0') && !flags.includes('-') && text.length < width) {
        const sign = /^[-+ ]/.test(text) ? text.charAt(0) : '';
        text = sign + '0'.repeat(width - text.length) + text.slice(sign.length);
      }
    }
    if (text.length < width) text = flags.includes('-') ? text.padEnd(width) : text.padStart(width);
    out += text;
  }
  if (!mapping && next < positional.length) throw new PyTypeError('not all arguments converted during string formatting');
  return out + fmt.slice(last);
}

/** str.format(*args, **kwargs). */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>, getattr: (o: unknown, k: string) => unknown): string {
  let out = '';
  let auto = 0;
  let numbering: 'auto' | 'manual' | undefined;
  const useNumbering = (kind: 'auto' | 'manual'): void => {
    if (numbering && numbering !== kind) {
      throw new PyValueError(kind === 'manual' ? 'cannot switch from automatic field numbering to manual field specification' : 'cannot switch from manual field specification to automatic field numbering');
    }
    numbering = kind;
  };
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i] as string;
    if (ch === '}' && fmt[i + 1] === '}') {
      out += '}';
      i++;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      continue;
    }
    if (fmt[i + 1] === '{') {
      out += '{';
      i++;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    while (j < fmt.length && depth) {
      if (fmt[j] === '{') depth++;
      else if (fmt[j] === '}') depth--;
      j++;
    }
    if (depth) throw new PyValueError("Single '{' encountered in format string");
    const field = fmt.slice(i + 1, j - 1);
    i = j - 1;
    const m = /^([^!:.[]*)((?:\.[^!:.[]+|\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
    if (!m) throw new PyValueError(`bad format field ${field}`);
    const [, head = '', rest = '', conv, specRaw = ''] = m;
    let value: unknown;
    if (head === '') {
      useNumbering('auto');
      value = args[auto++];
    } else if (/^\d+$/.test(head)) {
      useNumbering('manual');
      value = args[parseInt(head, 10)];
    }
    else {
      if (!(head in kwargs)) throw new PyValueError(`'${head}'`, 'KeyError');
      value = kwargs[head];
    }
    if (value === undefined && (head === '' || /^\d+$/.test(head))) throw new PyValueError('Replacement index out of range for positional args tuple', 'IndexError');
    for (const part of rest.match(/\.[^.[]+|\[[^\]]*\]/g) ?? []) {
      const key = part.startsWith('.') ? part.slice(1) : part.slice(1, -1);
      value = getattr(value, /^\d+$/.test(key) && Array.isArray(value) ? (parseInt(key, 10) as unknown as string) : key);
    }
    if (conv === 'r' || conv === 'a') value = pyRepr(value);
    else if (conv === 's') value = pyStr(value);
    const spec = specRaw.replace(/\{([^}]*)\}/g, (_s, k: string) => pyStr(k === '' ? args[auto++] : /^\d+$/.test(k) ? args[parseInt(k, 10)] : kwargs[k]));
    out += formatValue(value, spec);
  }
  return out;
}
