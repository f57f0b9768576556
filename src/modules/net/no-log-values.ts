// What AnsibleModule does to a result before it leaves the module: every occurrence of a
// no_log argument's value in a string becomes ******** (the whole string equal to it:
// VALUE_SPECIFIED_IN_NO_LOG_PARAMETER); uri also masks it in dict keys (sanitize_keys).
import { isDict } from '../../template/pyvalues';
import type { ModuleResult } from '../types';

const MASK = '********';

function maskString(s: string, values: string[]): string {
  if (values.includes(s)) return 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER';
  return values.reduce((acc, v) => acc.split(v).join(MASK), s);
}

/** remove_values: the values masked in every string of the result, keys kept. */
export function removeNoLogValues<T>(value: T, values: string[]): T {
  if (values.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskString(v, values);
    if (Array.isArray(v)) return v.map(walk);
    if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** sanitize_keys: the values masked in dict keys at every depth, except the keys in `keep`. */
export function sanitizeKeys<T>(value: T, values: string[], keep: ReadonlySet<string>): T {
  if (values.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [keep.has(k) || k.startsWith('_ansible') ? k : maskString(k, values), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** The no_log values of the URL modules' arguments (url_password when given). */
export function urlNoLogValues(args: Record<string, unknown>): string[] {
  const p = args.url_password;
  return typeof p === 'string' && p !== '' ? [p] : [];
}

/** Masks a module's result, also when it failed; `keep`: uri's keys left as they are (else keys are not masked). */
export async function maskedResult(values: string[], run: () => Promise<ModuleResult>, keep?: ReadonlySet<string>): Promise<ModuleResult> {
  const result = await run();
  return removeNoLogValues(keep ? sanitizeKeys(result, values, keep) : result, values);
}
