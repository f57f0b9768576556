// Filters that apply other filters or tests to each item: map, select, reject,
// selectattr, rejectattr, and groupby/dictsort which order by a key.
import { TemplateError } from '../../errors';
import type { FilterFn, PluginContext, TestFn } from '../plugin-types';
import { isDict, isLazyMapping, makeTuple, truthy } from '../pyvalues';
import { PluginLoadError, shortPluginName } from '../plugins';
import { tests } from '../tests';
import { attrGetter, getItem, iterate, mappingKeys, opt, pyCompare, pyEquals, requireDefined } from './helpers';
import { sortKey, sorted } from './lists';

function lookupTest(ctx: PluginContext, name: unknown): TestFn {
  const key = shortPluginName(String(name));
  const registry: Record<string, TestFn> = ctx.plugins?.tests ?? tests;
  const test = Object.prototype.hasOwnProperty.call(registry, key) ? registry[key] : undefined;
  if (!test) throw new PluginLoadError(String(name));
  return test;
}

/** (item) => bool for select/reject: a named test with args, or truthiness. */
function predicate(ctx: PluginContext, args: unknown[], kwargs: Record<string, unknown>): (item: unknown) => boolean {
  if (!args.length) return truthy;
  const test = lookupTest(ctx, args[0]);
  const rest = args.slice(1);
  return (item) => test(ctx, item, rest, kwargs);
}

function selectFilter(keep: boolean): FilterFn {
  return (ctx, value, args, kwargs) => {
    const pred = predicate(ctx, args, kwargs);
    return iterate(value).filter((item) => pred(item) === keep);
  };
}

function selectAttrFilter(keep: boolean): FilterFn {
  return (ctx, value, args, kwargs) => {
    if (!args.length) throw new TemplateError('Missing parameter for attribute name');
    const get = attrGetter(args[0]);
    const pred = predicate(ctx, args.slice(1), kwargs);
    return iterate(value).filter((item) => pred(get(item)) === keep);
  };
}

export function makeHigherOrderFilters(filterRegistry: () => Record<string, FilterFn>) {
  const map: FilterFn = (ctx, value, args, kwargs) => {
    const items = iterate(value);
    if (!args.length && 'attribute' in kwargs) {
      const get = attrGetter(kwargs.attribute, 'default' in kwargs ? kwargs.default : undefined);
      return items.map(get);
    }
    if (!args.length) throw new TemplateError('map requires a filter argument');
    const name = String(args[0]);
    const registry = ctx.plugins?.filters ?? filterRegistry();
    const key = shortPluginName(name);
    const filter = Object.prototype.hasOwnProperty.call(registry, key) ? registry[key] : undefined;
    if (!filter) throw new PluginLoadError(name);
    return items.map((item) => filter(ctx, item, args.slice(1), kwargs));
  };

  const groupby: FilterFn = (_ctx, value, args, kwargs) => {
    const attribute = opt<unknown>(args, kwargs, 0, 'attribute', null);
    const dflt = opt<unknown>(args, kwargs, 1, 'default', undefined);
    const caseSensitive = truthy(opt(args, kwargs, 2, 'case_sensitive', false));
    const get = attrGetter(attribute, dflt);
    const key = (item: unknown) => {
      const k = requireDefined(get(item));
      return !caseSensitive && typeof k === 'string' ? k.toLowerCase() : k;
    };
    const groups: [unknown, unknown[]][] = [];
    let lastKey: unknown = Symbol('none');
    for (const item of sorted(iterate(value), key)) {
      const k = key(item);
      const current = groups[groups.length - 1];
      if (current && pyEquals(k, lastKey)) current[1].push(item);
      else groups.push(makeTuple([get(item), [item]]) as [unknown, unknown[]]);
      lastKey = k;
    }
    return groups;
  };

  const dictsort: FilterFn = (_ctx, value, args, kwargs) => {
    requireDefined(value);
    if (!isDict(value) && !isLazyMapping(value)) throw new TemplateError('You can only sort by either "key" or "value"');
    const caseSensitive = truthy(opt(args, kwargs, 0, 'case_sensitive', false));
    const by = String(opt(args, kwargs, 1, 'by', 'key'));
    const reverse = truthy(opt(args, kwargs, 2, 'reverse', false));
    const pos = by === 'key' ? 0 : by === 'value' ? 1 : -1;
    if (pos < 0) throw new TemplateError('You can only sort by either "key" or "value"');
    const fold = sortKey(null, caseSensitive);
    const pairs = mappingKeys(value).map((k) => makeTuple([k, getItem(value, k)]));
    return pairs.sort((a, b) => pyCompare(fold(a[pos]), fold(b[pos])) * (reverse ? -1 : 1));
  };

  return {
    map,
    select: selectFilter(true),
    reject: selectFilter(false),
    selectattr: selectAttrFilter(true),
    rejectattr: selectAttrFilter(false),
    groupby,
    dictsort,
  } satisfies Record<string, FilterFn>;
}
