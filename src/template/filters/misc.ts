// Miscellaneous filters: URLs (urlencode, urlsplit, urldecode), human_readable /
// human_to_bytes, json_query, random and shuffle.
import * as jmespath from 'jmespath';
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { PyFloat, isDict, isLazyMapping, pyJsonDumps, pyStr } from '../pyvalues';
import { getItem, isNumeric, iterate, mappingKeys, num, opt, requireArgs, requireDefined } from './helpers';
import { randomSource, randrange, shuffle } from './py-random';
import { pyRound } from './core';
import { PyTypeError, typeName } from '../pyops';

/** Python urllib.parse.quote (safe '/' by default; for query strings spaces become '+'). */
export function urlQuote(s: string, safe = '/', plus = false): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(c) || safe.includes(c)) out += c;
    else if (plus && c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const urlencode: FilterFn = (_ctx, value) => {
  requireDefined(value);
  if (typeof value === 'string') return urlQuote(value);
  const pairs: [unknown, unknown][] = isDict(value) || isLazyMapping(value)
    ? mappingKeys(value).map((k) => [k, getItem(value, k)])
    : iterate(value).map((p) => iterate(p) as [unknown, unknown]);
  return pairs.map(([k, v]) => `${urlQuote(pyStr(k), '', true)}=${urlQuote(pyStr(v), '', true)}`).join('&');
};

/** urllib.parse.urlsplit's scheme, netloc, path, query and fragment. */
export function splitUrl(s: string): RegExpExecArray {
  return /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(s)!;
}

const urlsplit: FilterFn = (_ctx, value, args) => {
  const s = pyStr(requireDefined(value));
  const m = splitUrl(s);
  const netloc = m[2] ?? '';
  const userinfo = netloc.includes('@') ? netloc.slice(0, netloc.lastIndexOf('@')) : null;
  const hostport = netloc.slice(netloc.lastIndexOf('@') + 1);
  const hm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const host = hm?.[1] ? hm[1].replace(/^\[|\]$/g, '').toLowerCase() : null;
  const result: Record<string, unknown> = {
    fragment: m[5] ?? '',
    hostname: host,
    netloc,
    password: userinfo && userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : null,
    path: m[3] ?? '',
    port: hm?.[2] ? Number(hm[2]) : null,
    query: m[4] ?? '',
    scheme: (m[1] ?? '').toLowerCase(),
    username: userinfo ? userinfo.split(':')[0] : null,
  };
  const query = args[0];
  if (query === undefined || query === '') return result;
  const key = pyStr(query);
  if (!(key in result)) throw new TemplateError(`urlsplit: unknown URL component: ${key}`);
  return result[key];
};

const SIZE_RANGES: [string, number][] = [['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10], ['B', 1]];

const humanReadable: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  requireDefined(value);
  // bytes_to_human compares the value with numbers: anything but a number is a TypeError
  if (!isNumeric(value)) throw new PyTypeError(`human_readable() failed on bad input: '>=' not supported between instances of '${typeName(value)}' and 'int'`);
  const size = Number(num(value));
  const isbits = Boolean(opt(args, kwargs, 0, 'isbits', false));
  const unit = opt<unknown>(args, kwargs, 1, 'unit', null);
  const base = isbits ? 'bits' : 'Bytes';
  let suffix = 'B';
  let limit = 1;
  for ([suffix, limit] of SIZE_RANGES) {
    if ((unit === null && size >= limit) || (unit !== null && pyStr(unit).toUpperCase() === suffix[0])) break;
  }
  const label = limit !== 1 ? suffix + base[0] : base;
  return `${(size / limit).toFixed(2)} ${label}`;
};

const humanToBytes: FilterFn = (_ctx, value, args, kwargs) => {
  const text = pyStr(requireDefined(value));
  const defaultUnit = opt<unknown>(args, kwargs, 0, 'default_unit', null);
  const isbits = Boolean(opt(args, kwargs, 1, 'isbits', false));
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text);
  const n = m && m[1] ? Number(m[1]) : NaN;
  if (!m || Number.isNaN(n)) throw new TemplateError(`human_to_bytes() can't interpret following string: ${text}`);
  const unit = m[2] ?? (defaultUnit === null ? null : pyStr(defaultUnit));
  if (unit === null) return pyRound(n, 0);
  const range = SIZE_RANGES.find(([k]) => k === unit[0]!.toUpperCase());
  if (!range) throw new TemplateError(`human_to_bytes() failed to convert ${text} (unit = ${unit}). The suffix must be one of Y, Z, E, P, T, G, M, K, B`);
  const unitClass = isbits ? 'b' : 'B';
  const className = isbits ? 'bit' : 'byte';
  if (unit.length > 1 && !unit.toLowerCase().includes(className) && unit[1] !== unitClass) {
    const key = range[0];
    const expect = key === 'B' ? `expect ${unitClass} or ${className}` : `expect ${key}${unitClass} or ${key}`;
    throw new TemplateError(`human_to_bytes() failed to convert ${text}. Value is not a valid string (${expect})`);
  }
  return pyRound(n * range[1], 0);
};

const jsonQuery: FilterFn = (_ctx, value, args) => {
  const expr = pyStr(requireDefined(args[0]));
  try {
    // Round-trip through JSON so PyFloat and lazy mappings become plain data.
    return jmespath.search(JSON.parse(pyJsonDumps(requireDefined(value))), expr);
  } catch (e) {
    throw new TemplateError(`JMESPathError in json_query filter plugin:\n${(e as Error).message}`);
  }
};

const random: FilterFn = (_ctx, value, args, kwargs) => {
  requireDefined(value);
  const start = opt<unknown>(args, kwargs, 0, 'start', null);
  const step = opt<unknown>(args, kwargs, 1, 'step', null);
  const r = randomSource(opt(args, kwargs, 2, 'seed', null));
  if (typeof value === 'number' && Number.isInteger(value)) {
    try {
      return randrange(r, Number(start || 0), value, Number(step || 1));
    } catch (e) {
      throw new TemplateError((e as Error).message);
    }
  }
  if (start || step) throw new TemplateError('start and step can only be used with integer values');
  if (typeof value === 'string' || Array.isArray(value) || isDict(value)) {
    const items = iterate(value);
    if (!items.length) throw new TemplateError('Cannot choose from an empty sequence');
    return items[r.randbelow(items.length)];
  }
  throw new TemplateError('random can only be used on sequences and integers');
};

export const miscFilters = {
  urlencode,
  urlsplit,
  urldecode: (_ctx, value) => decodeURIComponent(pyStr(requireDefined(value)).replace(/\+/g, ' ')),
  human_readable: humanReadable,
  human_to_bytes: humanToBytes,
  json_query: jsonQuery,
  random,
  shuffle: (_ctx, value, args, kwargs) => {
    const seed = opt<unknown>(args, kwargs, 0, 'seed', null);
    // Ansible's randomize_list gives back a value it cannot turn into a list unchanged
    if (value === null || typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat) return value;
    return shuffle(randomSource(seed || null), iterate(value));
  },
} satisfies Record<string, FilterFn>;
