// Lookups over data already in hand: vars, items, list, dict, sequence, subelements,
// indexed_items, together, nested, inventory_hostnames, random_choice.
import { TemplateError, UndefinedVariableError } from '../../errors';
import type { LookupFn } from '../plugin-types';
import { deepCopy, isDict, isUndefined, makeTuple, pyStr, truthy } from '../pyvalues';
import { getItem, mappingKeys } from '../filters/helpers';
import { randomSource } from '../filters/py-random';
import { pyFormat } from './pyformat';
import { typeName } from '../pyops';
import { compilePyRegex } from '../filters/pyregex';
import { parseKv } from './kv';

const flattenOnce = (terms: unknown[]) => terms.flatMap((t) => (Array.isArray(t) ? t : [t]));

const vars: LookupFn = (ctx, terms, kwargs) =>
  terms.map((t) => {
    if (typeof t !== 'string') throw new TemplateError(`Invalid setting identifier, "${pyStr(t)}" is not a string, its a <class '${typeName(t)}'>`);
    const name = t;
    const v = ctx.resolveVariable(name);
    if (!isUndefined(v)) return v;
    if ('default' in kwargs) return kwargs.default;
    throw new UndefinedVariableError(name, `No variable found with this name: ${name}`);
  });

const varnames: LookupFn = (ctx, terms) => {
  const names = ctx.variableNames?.() ?? [];
  const out: string[] = [];
  for (const t of terms) {
    if (typeof t !== 'string') throw new TemplateError(`Invalid setting identifier, "${pyStr(t)}" is not a string, it is a <class '${typeName(t)}'>`);
    let re: RegExp;
    try {
      re = compilePyRegex(t);
    } catch (e) {
      const reason = (e as Error).message.replace(/^.*: (?=[^:]*$)/, '');
      throw new TemplateError(`Unable to use "${t}" as a search parameter: ${pyRegexReason(reason)}`);
    }
    for (const n of names) if (re.test(n)) out.push(n);
  }
  return out;
};

/** JavaScript's RegExp complaint in the words of Python's re module, where they differ. */
function pyRegexReason(jsReason: string): string {
  if (/nothing to repeat/i.test(jsReason)) return 'nothing to repeat at position 0';
  return jsReason.charAt(0).toLowerCase() + jsReason.slice(1);
}

const dict: LookupFn = (_ctx, terms) =>
  terms.flatMap((t) => {
    if (!isDict(t)) throw new TemplateError(`with_dict expects a dict`);
    return mappingKeys(t).map((k) => ({ key: k, value: getItem(t, k) }));
  });

function parseInt0(s: string, what: string): number {
  const t = s.trim().toLowerCase();
  const n = t.startsWith('0x') ? parseInt(t, 16) : t.startsWith('0o') ? parseInt(t.slice(2), 8) : /^[+-]?\d+$/.test(t) ? parseInt(t, 10) : NaN;
  if (Number.isNaN(n)) throw new TemplateError(`can't parse ${what}=${s} as integer`);
  return n;
}

const SEQUENCE_ARGS = ['start', 'end', 'count', 'stride', 'format'];

/** One sequence term: "start=1 end=10 stride=2 format=x%02d" or the "[start-]end[/stride][:format]" shortcut. */
function sequenceTerm(term: string, kwargs: Record<string, unknown>): string[] {
  const opts: Record<string, string> = {};
  for (const [k, v] of Object.entries(kwargs)) opts[k] = pyStr(v);
  const { free, params } = parseKv(term);
  Object.assign(opts, params);
  if (!free) {
    for (const k of ['start', 'end', 'count', 'stride']) if (params[k] !== undefined) parseInt0(params[k]!, k);
    const unknown = Object.keys(params).filter((k) => !SEQUENCE_ARGS.includes(k));
    if (unknown.length) throw new TemplateError(`unrecognized arguments to with_sequence: [${unknown.map((k) => `'${k}'`).join(', ')}]`);
  }
  if (free) {
    const m = /^(?:(0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(?:\/(0?x?[0-9a-f]+))?(?::(.+))?$/i.exec(free);
    if (!m) throw new TemplateError(`unknown sequence shortcut: ${free}`);
    if (m[1] !== undefined) opts.start = m[1];
    opts.end = m[2]!;
    if (m[3] !== undefined) opts.stride = m[3];
    if (m[4] !== undefined) opts.format = m[4];
  }
  const start = parseInt0(opts.start ?? '1', 'start');
  const stride = parseInt0(opts.stride ?? '1', 'stride');
  const format = opts.format ?? '%d';
  let end: number;
  if (opts.count !== undefined) {
    if (opts.end !== undefined) throw new TemplateError("can't specify both count and end in with_sequence");
    const count = parseInt0(opts.count, 'count');
    if (count === 0) return [];
    end = start + (count - 1) * stride;
  } else if (opts.end !== undefined) end = parseInt0(opts.end, 'end');
  else throw new TemplateError("must specify count or end in with_sequence");
  if (stride > 0 && end < start) throw new TemplateError('to count backwards make stride negative');
  if (stride < 0 && end > start) throw new TemplateError('to count forward don\'t make stride negative');
  if (stride === 0) return [];
  const out: string[] = [];
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(pyFormat(format, i));
  return out;
}

const sequence: LookupFn = (_ctx, terms, kwargs) => terms.flatMap((t) => sequenceTerm(pyStr(t), kwargs));

function withoutPath(item: unknown, parts: string[]): unknown {
  const copy = deepCopy(item);
  let cur: unknown = copy;
  for (const p of parts.slice(0, -1)) cur = isDict(cur) ? cur[p] : undefined;
  if (isDict(cur)) delete cur[parts[parts.length - 1]!];
  return copy;
}

/** The subelements lookup (unlike the filter, each sub-item is paired with its parent minus the sub-list). */
const subelementsLookup: LookupFn = (_ctx, terms) => {
  const fail = (msg = ''): never => {
    throw new TemplateError(`subelements lookup expects a list of two or three items, ${msg}`);
  };
  if (terms.length < 2 || terms.length > 3) fail();
  const [rawList, key, flags = {}] = terms;
  const list = typeof rawList === 'string' || !(Array.isArray(rawList) || isDict(rawList)) ? [rawList] : rawList;
  if (typeof key !== 'string') fail('first a dict or a list, second a string pointing to the subkey');
  if (!isDict(flags)) fail("the optional third item must be a dict with flags ['skip_missing']");
  const parts = (key as string).split('.');
  let elements: unknown[];
  if (isDict(list)) {
    if (list.skipped !== undefined && list.skipped !== false) return [];
    elements = Object.values(list);
  } else elements = list as unknown[];
  const skipMissing = truthy((flags as Record<string, unknown>).skip_missing ?? false);
  const out: unknown[] = [];
  for (const item of elements) {
    if (!isDict(item)) throw new TemplateError(`subelements lookup expects a dictionary, got '${pyStr(item)}'`);
    if (item.skipped !== undefined && item.skipped !== false) continue;
    let sub: unknown = item;
    let sublist: unknown[] = [];
    for (const [i, p] of parts.entries()) {
      const here = sub as Record<string, unknown>;
      if (!(p in here)) {
        if (skipMissing) continue;
        throw new TemplateError(`could not find '${p}' key in iterated item '${pyStr(here)}'`);
      }
      if (i < parts.length - 1) {
        if (!isDict(here[p])) {
          if (skipMissing) continue;
          throw new TemplateError(`the key ${p} should point to a dictionary, got '${pyStr(here[p])}'`);
        }
        sub = here[p];
      } else if (!Array.isArray(here[p])) throw new TemplateError(`the key ${p} should point to a list, got '${pyStr(here[p])}'`);
      else sublist = here[p] as unknown[];
    }
    const parent = withoutPath(item, parts);
    for (const x of sublist) out.push(makeTuple([parent, x]));
  }
  return out;
};

const together: LookupFn = (_ctx, terms) => {
  const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
  if (!lists.length) throw new TemplateError('with_together requires at least one element in each list');
  const len = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: len }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
};

const nested: LookupFn = (_ctx, terms) => {
  const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
  if (!lists.length) throw new TemplateError('with_nested requires at least one element in the nested list');
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, ...(Array.isArray(x) ? x : [x])])), [[]]);
};

export const dataLookups = {
  vars,
  varnames,
  items: (_ctx, terms) => flattenOnce(terms),
  list: (_ctx, terms) => terms,
  dict,
  sequence,
  subelements: subelementsLookup,
  indexed_items: (_ctx, terms) => flattenOnce(terms).map((item, i) => makeTuple([i, item])),
  together,
  nested,
  inventory_hostnames: (ctx, terms) => {
    const pattern = flattenOnce(terms).map((t) => pyStr(t)).join(':');
    return ctx.lookups ? ctx.lookups.inventoryHostnames(pattern) : [];
  },
  random_choice: (_ctx, terms) => (terms.length ? [terms[randomSource(null).randbelow(terms.length)]] : []),
} satisfies Record<string, LookupFn>;
