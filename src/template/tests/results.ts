// Ansible's task-result tests (failed, changed, skipped, ...) and truthy/falsy/any/all/regex/version.
import { TemplateError } from '../../errors';
import { VaultedText } from '../../vault/vaulted-text';
import type { TestFn } from '../plugin-types';
import { isDict, isLazyMapping, pyStr, truthy } from '../pyvalues';
import { getItem, iterate, mappingKeys, opt, requireDefined } from '../filters/helpers';
import { compilePyRegex } from '../filters/pyregex';
import { versionCompare } from './version';

function resultOf(name: string, value: unknown): (key: string) => unknown {
  requireDefined(value);
  if (!isDict(value) && !isLazyMapping(value)) throw new TemplateError(`The '${name}' test expects a dictionary`);
  return (key) => (mappingKeys(value).includes(key) ? getItem(value, key) : undefined);
}

const failed: TestFn = (_ctx, value) => truthy(resultOf('failed', value)('failed') ?? false);
const success: TestFn = (_ctx, value) => !truthy(resultOf('success', value)('failed') ?? false);
const unreachable: TestFn = (_ctx, value) => truthy(resultOf('unreachable', value)('unreachable') ?? false);
const reachable: TestFn = (_ctx, value) => !truthy(resultOf('reachable', value)('unreachable') ?? false);
const skipped: TestFn = (_ctx, value) => truthy(resultOf('skipped', value)('skipped') ?? false);

const changed: TestFn = (_ctx, value) => {
  const get = resultOf('changed', value);
  if (get('changed') !== undefined) return truthy(get('changed'));
  const results = get('results');
  if (Array.isArray(results) && isDict(results[0])) return results.some((r) => isDict(r) && truthy(r.changed ?? false));
  return false;
};

function asyncState(name: 'finished' | 'started'): TestFn {
  return (_ctx, value) => {
    const v = resultOf(name, value)(name);
    return v === undefined ? true : v === 1 || v === true;
  };
}

/** Ansible's boolean() used by truthy/falsy(convert_bool=True). */
export function ansibleBoolean(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  const s = typeof v === 'string' ? v.toLowerCase() : v;
  if (['y', 'yes', 'on', '1', 'true', 't', 1, 1.0].includes(s as string)) return true;
  if (['n', 'no', 'off', '0', 'false', 'f', 0, 0.0, null].includes(s as string)) return false;
  if (s === '') return false;
  return v;
}

const truthyTest: TestFn = (_ctx, value, args, kwargs) => {
  const convert = truthy(opt(args, kwargs, 0, 'convert_bool', false));
  return truthy(convert ? ansibleBoolean(requireDefined(value)) : requireDefined(value));
};

function regexTest(defaultMatchType: string): TestFn {
  return (_ctx, value, args, kwargs) => {
    const s = pyStr(requireDefined(value));
    const pattern = pyStr(opt(args, kwargs, 0, 'pattern', ''));
    const ignorecase = truthy(opt(args, kwargs, 1, 'ignorecase', false));
    const multiline = truthy(opt(args, kwargs, 2, 'multiline', false));
    const matchType = pyStr(opt(args, kwargs, 3, 'match_type', defaultMatchType));
    const re = compilePyRegex(pattern, { ignorecase, multiline }, matchType === 'match' ? 'y' : '');
    if (matchType === 'fullmatch') {
      return compilePyRegex(`(?:${pattern})\\Z`, { ignorecase, multiline }, 'y').exec(s) !== null;
    }
    return re.exec(s) !== null;
  };
}

const version: TestFn = (_ctx, value, args, kwargs) =>
  versionCompare(
    requireDefined(value),
    opt(args, kwargs, 0, 'version', null),
    opt(args, kwargs, 1, 'operator', 'eq'),
    opt(args, kwargs, 2, 'strict', null),
    opt(args, kwargs, 3, 'version_type', null),
  );

export const resultTests = {
  failed,
  failure: failed,
  success,
  succeeded: success,
  successful: success,
  unreachable,
  reachable,
  changed,
  change: changed,
  skipped,
  skip: skipped,
  finished: asyncState('finished'),
  started: asyncState('started'),
  truthy: truthyTest,
  falsy: (ctx, value, args, kwargs) => !truthyTest(ctx, value, args, kwargs),
  any: (_ctx, value) => iterate(value).some(truthy),
  all: (_ctx, value) => iterate(value).every(truthy),
  match: regexTest('match'),
  search: regexTest('search'),
  regex: regexTest('search'),
  version,
  version_compare: version,
  vault_encrypted: (_ctx, value) => value instanceof VaultedText,
} satisfies Record<string, TestFn>;
