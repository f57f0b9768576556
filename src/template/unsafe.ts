// "Unsafe" data (Ansible's AnsibleUnsafe): module results and what they contain are never
// templated again, so text such as "{{ x }}" inside a registered result stays as it is.
// Lists and dicts carry pyvalues' non-enumerable mark (not copied by spread, invisible to JSON).
import { isDict, isUnsafe, markUnsafe as markOne } from './pyvalues';

export { isUnsafe };

/** Marks every list and dict in `value` (stopping at parts already marked); returns `value`. */
export function markUnsafe<T>(value: T): T {
  if ((Array.isArray(value) || isDict(value)) && !isUnsafe(value) && Object.isExtensible(value)) {
    markOne(value);
    const items: unknown[] = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    for (const v of items) markUnsafe(v);
  }
  return value;
}
