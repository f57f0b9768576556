// regex_replace / regex_search / regex_findall / regex_escape with Python `re` semantics.
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { PyTypeError } from '../pyops';
import { pyStr } from '../pyvalues';
import { opt, requireArgs, requireDefined } from './helpers';
import { compilePyRegex, groupValue, pyFindall, pyReEscape, pySub } from './pyregex';

const text = (v: unknown) => pyStr(requireDefined(v));

const regexReplace: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  const pattern = pyStr(opt(args, kwargs, 0, 'pattern', ''));
  const replacement = pyStr(opt(args, kwargs, 1, 'replacement', ''));
  const ignorecase = Boolean(opt(args, kwargs, 2, 'ignorecase', false));
  const multiline = Boolean(opt(args, kwargs, 3, 'multiline', false));
  // 2.14's regex_replace has no count parameter (it came in 2.17)
  for (const k of Object.keys(kwargs)) {
    if (!['pattern', 'replacement', 'ignorecase', 'multiline'].includes(k)) throw new PyTypeError(`regex_replace() got an unexpected keyword argument '${k}'`);
  }
  if (args.length > 4) throw new PyTypeError(`regex_replace() takes from 1 to 5 positional arguments but ${args.length + 1} were given`);
  return pySub(compilePyRegex(pattern, { ignorecase, multiline }), replacement, text(value), 0);
};

const regexSearch: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  const [pattern, ...groupArgs] = args;
  const groups = groupArgs.map((a) => {
    const s = pyStr(a);
    const named = /^\\g<(\S+)>/.exec(s);
    if (named) return /^\d+$/.test(named[1]!) ? Number(named[1]) : named[1]!;
    const num = /^\\(\d+)/.exec(s);
    if (num) return Number(num[1]);
    throw new TemplateError('Unknown argument');
  });
  const re = compilePyRegex(pyStr(pattern), { ignorecase: Boolean(kwargs.ignorecase), multiline: Boolean(kwargs.multiline) });
  const m = re.exec(text(value));
  if (!m) return null;
  if (!groups.length) return m[0];
  return groups.map((g) => (typeof g === 'number' && m[g] === undefined && g < m.length ? null : groupValue(m, g)));
};

const regexFindall: FilterFn = (_ctx, value, args, kwargs) => {
  requireArgs(args, kwargs);
  const pattern = pyStr(opt(args, kwargs, 0, 'regex', ''));
  const multiline = Boolean(opt(args, kwargs, 1, 'multiline', false));
  const ignorecase = Boolean(opt(args, kwargs, 2, 'ignorecase', false));
  return pyFindall(compilePyRegex(pattern, { ignorecase, multiline }), text(value));
};

const regexEscape: FilterFn = (_ctx, value, args, kwargs) => {
  const reType = pyStr(opt(args, kwargs, 0, 're_type', 'python'));
  const s = text(value);
  if (reType === 'python') return pyReEscape(s);
  if (reType === 'posix_basic') return s.replace(/[\\[\]*.^$]/g, (c) => '\\' + c);
  if (reType === 'posix_extended') throw new TemplateError('Regex type (posix_extended) not yet implemented');
  throw new TemplateError(`Invalid regex type (${reType})`);
};

export const regexFilters = {
  regex_replace: regexReplace,
  regex_search: regexSearch,
  regex_findall: regexFindall,
  regex_escape: regexEscape,
} satisfies Record<string, FilterFn>;
