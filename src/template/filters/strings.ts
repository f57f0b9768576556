// String filters: case, whitespace, replace, indent, truncate, wordwrap, escaping,
// shell quoting, comment and size formatting.
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { isDict, isUndefined, makeTuple, pyRepr, pyStr } from '../pyvalues';
import { percentFormat } from '../pyformat';
import { opt, requireArgs, requireDefined } from './helpers';

function str(v: unknown): string {
  return pyStr(requireDefined(v));
}

function capitalize(s: string): string {
  const chars = Array.from(s);
  return chars.length ? chars[0]!.toUpperCase() + chars.slice(1).join('').toLowerCase() : '';
}

/** Python str.strip(chars). */
export function pyStrip(s: string, chars: string | null, left = true, right = true): string {
  const set = chars === null ? null : new Set(Array.from(chars));
  const isStripped = (c: string) => (set ? set.has(c) : /\s/.test(c));
  const arr = Array.from(s);
  let a = 0;
  let b = arr.length;
  if (left) while (a < b && isStripped(arr[a]!)) a++;
  if (right) while (b > a && isStripped(arr[b - 1]!)) b--;
  return arr.slice(a, b).join('');
}

const title: FilterFn = (_ctx, value) =>
  str(value)
    .split(/([-\s({[<]+)/)
    .map((part) => capitalize(part))
    .join('');

const replace: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  const s = str(value);
  const old = pyStr(args[0]);
  const repl = pyStr(args[1]);
  const count = opt<unknown>(args, kwargs, 2, 'count', null);
  let remaining = count === null ? Infinity : Number(count);
  if (remaining < 0) remaining = Infinity;
  if (old === '') {
    const chars = Array.from(s);
    let out = '';
    for (let i = 0; i <= chars.length; i++) {
      if (remaining > 0) {
        out += repl;
        remaining--;
      }
      out += chars[i] ?? '';
    }
    return out;
  }
  let out = '';
  let pos = 0;
  while (remaining > 0) {
    const idx = s.indexOf(old, pos);
    if (idx < 0) break;
    out += s.slice(pos, idx) + repl;
    pos = idx + old.length;
    remaining--;
  }
  return out + s.slice(pos);
};

const center: FilterFn = (_ctx, value, args, kwargs) => {
  const s = str(value);
  const width = Number(opt(args, kwargs, 0, 'width', 80));
  const len = Array.from(s).length;
  if (len >= width) return s;
  const marg = width - len;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return ' '.repeat(left) + s + ' '.repeat(marg - left);
};

const indent: FilterFn = (_ctx, value, args, kwargs) => {
  const s = str(value);
  const width = opt<unknown>(args, kwargs, 0, 'width', 4);
  const first = Boolean(opt(args, kwargs, 1, 'first', false));
  const blank = Boolean(opt(args, kwargs, 2, 'blank', false));
  const pad = typeof width === 'string' ? width : ' '.repeat(Number(width));
  const lines = s.split('\n');
  const head = lines.shift() ?? '';
  const rest = lines.map((l) => (blank || l.trim() !== '' ? pad + l : l));
  const out = [first && (blank || head.trim() !== '') ? pad + head : head, ...rest].join('\n');
  return out;
};

const truncate: FilterFn = (_ctx, value, args, kwargs) => {
  const s = str(value);
  const length = Number(opt(args, kwargs, 0, 'length', 255));
  const killwords = Boolean(opt(args, kwargs, 1, 'killwords', false));
  const end = pyStr(opt(args, kwargs, 2, 'end', '...'));
  const leewayArg = opt<unknown>(args, kwargs, 3, 'leeway', null);
  const leeway = leewayArg === null ? 5 : Number(leewayArg);
  if (length < end.length) throw new TemplateError(`expected length >= ${end.length}, got ${length}`);
  if (leeway < 0) throw new TemplateError(`expected leeway >= 0, got ${leeway}`);
  if (s.length <= length + leeway) return s;
  if (killwords) return s.slice(0, length - end.length) + end;
  const cut = s.slice(0, length - end.length);
  const idx = cut.lastIndexOf(' ');
  return (idx >= 0 ? cut.slice(0, idx) : cut) + end;
};

/** A simplified textwrap.wrap: words split on whitespace, long words broken. */
const wordwrap: FilterFn = (_ctx, value, args, kwargs) => {
  const s = str(value);
  const width = Number(opt(args, kwargs, 0, 'width', 79));
  const breakLong = Boolean(opt(args, kwargs, 1, 'break_long_words', true));
  const wrapstring = opt<unknown>(args, kwargs, 2, 'wrapstring', null);
  const sep = wrapstring === null ? '\n' : pyStr(wrapstring);
  const wrapLine = (line: string): string[] => {
    const words = line.split(/\s+/).filter((w) => w !== '');
    const out: string[] = [];
    let cur = '';
    for (let w of words) {
      if (cur && cur.length + 1 + w.length > width) {
        out.push(cur);
        cur = '';
      }
      while (breakLong && !cur && w.length > width) {
        out.push(w.slice(0, width));
        w = w.slice(width);
      }
      cur = cur ? cur + ' ' + w : w;
    }
    if (cur) out.push(cur);
    return out;
  };
  return s
    .split(/\r?\n/)
    .map((l) => wrapLine(l).join(sep))
    .join(sep);
};

export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

/** Python's shlex.quote. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

const commentStyles: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** Ansible's comment filter: beginning, prefix lines, decorated text, postfix lines, end. */
const comment: FilterFn = (_ctx, value, args, kwargs) => {
  const text = str(value);
  const styleName = pyStr(opt(args, kwargs, 0, 'style', 'plain'));
  const style = commentStyles[styleName];
  if (!style) throw new TemplateError(`Unknown comment style: ${styleName}`);
  const prepostfix = 'decoration' in kwargs ? pyStr(kwargs.decoration) : style.decoration ?? '';
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: prepostfix.trimEnd(),
    prefix_count: 1,
    decoration: '',
    postfix: prepostfix.trimEnd(),
    postfix_count: 1,
    end: '',
    ...style,
    ...kwargs,
  };
  const nl = pyStr(p.newline);
  const deco = pyStr(p.decoration);
  const beginning = p.beginning ? pyStr(p.beginning) + nl : '';
  let prefix = '';
  if (p.prefix) prefix = (p.prefix !== nl ? pyStr(p.prefix) + nl : nl).repeat(Number(p.prefix_count));
  const body = (deco + text.split(nl).join(nl + deco)).split(deco + nl).join(deco.trimEnd() + nl);
  const postfix = [''].concat(Array(Number(p.postfix_count)).fill(pyStr(p.postfix))).join(nl);
  const end = p.end ? nl + pyStr(p.end) : '';
  return beginning + prefix + body + postfix + end;
};

const filesizeformat: FilterFn = (_ctx, value, args, kwargs) => {
  const bytes = Number(requireDefined(value));
  const binary = Boolean(opt(args, kwargs, 0, 'binary', false));
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  let prefix = prefixes[0]!;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    prefix = prefixes[i]!;
    if (bytes < unit) break;
  }
  return `${((base * bytes) / unit).toFixed(1)} ${prefix}`;
};

/** Python's pprint.pformat (width 80, dict keys sorted): one line when it fits, else one item per line. */
function pformat(v: unknown, indent: number): string {
  const flat = pyRepr(sortDicts(v));
  if (flat.length + indent <= 80 || !(Array.isArray(v) || isDict(v))) return flat;
  const pad = ' '.repeat(indent + 1);
  if (Array.isArray(v)) return '[' + v.map((x, i) => (i ? pad : '') + pformat(x, indent + 1)).join(',\n') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k, i) => {
    const key = pyRepr(k) + ': ';
    return (i ? pad : '') + key + pformat(v[k], indent + 1 + key.length);
  }).join(',\n') + '}';
}

function sortDicts(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDicts);
  if (isDict(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDicts(v[k])]));
  return v;
}

/** Jinja2's xmlattr: escaped key="value" pairs, None/Undefined values skipped. */
const xmlattr: FilterFn = (_ctx, value, args, kwargs) => {
  requireDefined(value);
  if (!isDict(value)) throw new TemplateError(`'${typeof value}' object has no attribute 'items'`);
  const autospace = Boolean(opt(args, kwargs, 0, 'autospace', true));
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || isUndefined(v)) continue;
    if (/[\s/>=]/.test(k)) throw new TemplateError(`Invalid character in attribute name: ${pyRepr(k)}`);
    parts.push(`${htmlEscape(k)}="${htmlEscape(pyStr(v))}"`);
  }
  const out = parts.join(' ');
  return autospace && out ? ' ' + out : out;
};

/** Python's str.split(sep, maxsplit). */
export function pySplit(s: string, sep: string | null, maxsplit: number): string[] {
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  const out: string[] = [];
  if (sep === null) {
    let rest = s.replace(/^\s+/, '');
    while (rest !== '' && out.length < limit) {
      const m = /\s+/.exec(rest);
      if (!m) break;
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    if (rest !== '') out.push(out.length < limit ? rest.replace(/\s+$/, '') : rest);
    return out;
  }
  if (sep === '') throw new TemplateError('empty separator');
  let rest = s;
  while (out.length < limit) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/** Jinja2's format: printf-style `value % args` (or % kwargs). */
const format: FilterFn = (_ctx, value, args, kwargs) => {
  if (args.length && Object.keys(kwargs).length) throw new TemplateError("can't handle positional and keyword arguments at the same time");
  return percentFormat(str(value), Object.keys(kwargs).length ? kwargs : makeTuple([...args]));
};

export const stringFilters = {
  lower: (_ctx, v) => str(v).toLowerCase(),
  upper: (_ctx, v) => str(v).toUpperCase(),
  capitalize: (_ctx, v) => capitalize(str(v)),
  title,
  trim: (_ctx, v, args, kwargs) => pyStrip(str(v), (opt(args, kwargs, 0, 'chars', null) as string | null) ?? null),
  replace,
  center,
  indent,
  truncate,
  wordwrap,
  wordcount: (_ctx, v) => (str(v).match(/\w+/gu) ?? []).length,
  escape: (_ctx, v) => htmlEscape(str(v)),
  e: (_ctx, v) => htmlEscape(str(v)),
  forceescape: (_ctx, v) => htmlEscape(str(v)),
  striptags: (_ctx, v) =>
    str(v)
      .replace(/<!--.*?-->|<[^>]*>/gs, '')
      .split(/\s+/)
      .filter((w) => w)
      .join(' ')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  quote: (_ctx, v) => shellQuote(v === null ? '' : str(v)),
  comment,
  filesizeformat,
  pprint: (_ctx, v) => pformat(requireDefined(v), 0),
  xmlattr,
  format,
  split: (_ctx, v, args, kwargs) => {
    const sep = opt<unknown>(args, kwargs, 0, 'seperator', null);
    return pySplit(str(v), sep === null ? null : pyStr(sep), Number(opt(args, kwargs, 1, 'maxsplit', -1)));
  },
} satisfies Record<string, FilterFn>;
