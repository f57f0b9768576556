// Dictionary filters: combine (recursive, list_merge), dict2items/items2dict,
// subelements, extract, items, dict.
import { TemplateError } from '../../errors';
import { PyTypeError } from '../pyops';
import type { FilterFn } from '../plugin-types';
import { isDict, isLazyMapping, isUndefined, makeTuple, pyJsonDumps, pyRepr, pyStr, truthy } from '../pyvalues';
import { flattenList } from './lists';
import { getAttr, getItem, iterate, mappingKeys, opt, pyEquals, pyTypeName, requireDefined } from './helpers';

type Dict = Record<string, unknown>;

function asDict(v: unknown, filter: string): Dict {
  requireDefined(v);
  if (isLazyMapping(v)) return Object.fromEntries(v.keys().map((k) => [k, v.get(k)]));
  if (!isDict(v)) throw new TemplateError(`${filter} expects dicts, got ${pyRepr(v)}`);
  return v;
}

function mergeLists(a: unknown[], b: unknown[], mode: string): unknown[] {
  switch (mode) {
    case 'replace':
      return b;
    case 'keep':
      return a;
    case 'append':
      return [...a, ...b];
    case 'prepend':
      return [...b, ...a];
    case 'append_rp':
      return [...a.filter((x) => !b.some((y) => pyEquals(x, y))), ...b];
    case 'prepend_rp':
      return [...b, ...a.filter((x) => !b.some((y) => pyEquals(x, y)))];
    default:
      throw new TemplateError(`merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'`);
  }
}

/** Ansible's merge_hash: b wins; dicts merge when recursive; lists per list_merge. */
export function mergeHash(a: Dict, b: Dict, recursive: boolean, listMerge: string): Dict {
  if (Object.keys(a).length === 0 || pyEquals(a, b)) return { ...b };
  const out: Dict = { ...a };
  for (const [k, bv] of Object.entries(b)) {
    const av = out[k];
    if (!(k in out)) out[k] = bv;
    else if (recursive && isDict(av) && isDict(bv)) out[k] = mergeHash(av, bv, true, listMerge);
    else if (Array.isArray(av) && Array.isArray(bv)) out[k] = mergeLists(av, bv, listMerge);
    else out[k] = bv;
  }
  return out;
}

const combine: FilterFn = (_ctx, value, args, kwargs) => {
  const unknown = Object.keys(kwargs).filter((k) => k !== 'recursive' && k !== 'list_merge');
  if (unknown.length) throw new TemplateError(`'recursive' and 'list_merge' are the only valid keyword arguments`);
  const recursive = truthy(kwargs.recursive ?? false);
  const listMerge = pyStr(kwargs.list_merge ?? 'replace');
  // Ansible flattens the terms one level, dropping None: `None | combine` is {}
  const terms = flattenList([value, ...args], 1, true);
  let result: Dict = {};
  for (const term of terms) {
    requireDefined(term);
    if (!isDict(term) && !isLazyMapping(term)) {
      const dump = (v: unknown): string => pyJsonDumps(v);
      throw new TemplateError(`failed to combine variables, expected dicts but got a 'dict' and a '${pyTypeName(term)}': \n${dump(result)}\n${dump(term)}`);
    }
    result = mergeHash(result, asDict(term, 'combine'), recursive, listMerge);
  }
  return result;
};

const dict2items: FilterFn = (_ctx, value, args, kwargs) => {
  requireDefined(value);
  if (!isDict(value) && !isLazyMapping(value)) throw new TemplateError(`dict2items requires a dictionary, got ${pyTypeName(value)} instead.`);
  const keyName = pyStr(opt(args, kwargs, 0, 'key_name', 'key'));
  const valueName = pyStr(opt(args, kwargs, 1, 'value_name', 'value'));
  return mappingKeys(value).map((k) => ({ [keyName]: k, [valueName]: getItem(value, k) }));
};

const items2dict: FilterFn = (_ctx, value, args, kwargs) => {
  const keyName = pyStr(opt(args, kwargs, 0, 'key_name', 'key'));
  const valueName = pyStr(opt(args, kwargs, 1, 'value_name', 'value'));
  requireDefined(value);
  if (!Array.isArray(value)) throw new TemplateError(`items2dict requires a list, got ${pyTypeName(value)} instead.`);
  const out: Dict = {};
  for (const item of value) {
    if (!isDict(item)) throw new TemplateError(`items2dict requires a list of dictionaries, got ${pyTypeName(item)} instead.`);
    if (!(keyName in item) || !(valueName in item)) {
      throw new TemplateError(`items2dict requires each dictionary in the list to contain the keys '${keyName}' and '${valueName}', got ${pyRepr(item)} instead.`);
    }
    out[pyStr(item[keyName])] = item[valueName];
  }
  return out;
};

/** subelements(list_of_dicts, 'path.to.list', skip_missing=False) → [[item, subitem], ...]. */
export function subelements(list: unknown, subelementPath: unknown, skipMissing: boolean): unknown[][] {
  requireDefined(list);
  const items = isDict(list) ? Object.values(list) : Array.isArray(list) ? list : undefined;
  if (!items) throw new TemplateError('obj must be a list of dicts or a nested dict');
  // a list gives the keys one by one; a string is split on dots
  if (typeof subelementPath !== 'string' && !Array.isArray(subelementPath)) throw new TemplateError('subelements must be a list or a string');
  const parts = Array.isArray(subelementPath) ? subelementPath.map((p) => pyStr(p)) : subelementPath.split('.');
  const out: unknown[][] = [];
  for (const item of items) {
    let values: unknown = item;
    let missing = false;
    for (const part of parts) {
      if (!isDict(values)) throw new PyTypeError(`the key ${part} should point to a dictionary, got '${pyRepr(values)}'`);
      if (!(part in values)) {
        if (skipMissing) {
          missing = true;
          break;
        }
        throw new TemplateError(`could not find '${part}' key in iterated item '${pyRepr(values)}'`);
      }
      values = values[part];
    }
    if (missing) continue;
    if (!Array.isArray(values)) throw new TemplateError(`the key ${parts[parts.length - 1]} should point to a list, got '${pyRepr(values)}'`);
    for (const v of values) out.push(makeTuple([item, v]));
  }
  return out;
}

const extract: FilterFn = (_ctx, item, args) => {
  const [container, morekeys] = args;
  // Ansible's extract indexes with environment.getitem: an undefined container stays undefined
  if (isUndefined(container)) return container;
  let v = getAttr(container, requireDefined(item) as string | number);
  if (isUndefined(v)) return v;
  const keys = morekeys === undefined || morekeys === null ? [] : Array.isArray(morekeys) ? morekeys : [morekeys];
  for (const k of keys) {
    v = getAttr(v, k as string | number);
    if (isUndefined(v)) return v;
  }
  return v;
};

/** rekey_on_member: a dict of the items (of a list or a dict's values) keyed on one member. */
const rekeyOnMember: FilterFn = (_ctx, value, args, kwargs) => {
  const key = opt<unknown>(args, kwargs, 0, 'key', undefined);
  const duplicates = pyStr(opt<unknown>(args, kwargs, 1, 'duplicates', 'error'));
  if (duplicates !== 'error' && duplicates !== 'overwrite') throw new TemplateError(`duplicates parameter to rekey_on_member has unknown value: ${duplicates}`);
  requireDefined(value);
  requireDefined(key);
  let items: unknown[];
  if (isDict(value) || isLazyMapping(value)) items = mappingKeys(value).map((k) => getItem(value, k));
  else if (Array.isArray(value)) items = value;
  else throw new PyTypeError('Type is not a valid list, set, or dict');
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (!isDict(item) && !isLazyMapping(item)) throw new PyTypeError('List item is not a valid dict');
    const k = pyStr(key);
    const has = isDict(item) ? Object.prototype.hasOwnProperty.call(item, k) : item.has(k);
    if (!has) throw new TemplateError(`Key ${k} was not found`);
    const elem = pyStr(getItem(item, k));
    if (truthy(out[elem] ?? null) && duplicates === 'error') throw new TemplateError(`Key ${elem} is not unique, cannot correctly turn into dict`);
    out[elem] = item;
  }
  return out;
};

export const dictFilters = {
  rekey_on_member: rekeyOnMember,
  combine,
  dict2items,
  items2dict,
  subelements: (_ctx, value, args, kwargs) =>
    subelements(value, opt(args, kwargs, 0, 'subelements', ''), truthy(opt(args, kwargs, 1, 'skip_missing', false))),
  extract,
  items: (_ctx, value) => {
    if (isUndefined(value)) return [];
    if (!isDict(value) && !isLazyMapping(value)) throw new TemplateError(`Can only get item pairs from a mapping.`);
    return mappingKeys(value).map((k) => makeTuple([k, getItem(value, k)]));
  },
} satisfies Record<string, FilterFn>;

