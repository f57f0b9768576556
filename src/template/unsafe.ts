// "Unsafe" data (Ansible's AnsibleUnsafe): module results and what they contain are never
// templated again, so text such as "{{ x }}" inside a registered result stays as it is.
// Lists and dicts carry pyvalues' non-enumerable mark (not copied by spread, invisible to JSON).
import { isDict, isTuple, isUnsafe, makeTuple, markUnsafe as markOne } from './pyvalues';

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

/** Ansible's wrap_var: an unsafe copy of `value` (lists and dicts copied, so the variables the
 * value came from stay as they are); already-unsafe parts are kept as they are. */
export function unsafeCopy<T>(value: T): T {
  if (isUnsafe(value)) return value;
  if (Array.isArray(value)) {
    const copy = value.map((v) => unsafeCopy(v));
    return markOne(isTuple(value) ? makeTuple(copy) : copy) as T;
  }
  if (isDict(value)) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) copy[k] = unsafeCopy(v);
    return markOne(copy) as T;
  }
  return value;
}

/** True when `value` is unsafe or holds an unsafe list or dict anywhere inside (Ansible's
 * AnsibleContext._is_unsafe, which taints a template's whole result). */
export function holdsUnsafe(value: unknown): boolean {
  if (isUnsafe(value)) return true;
  if (Array.isArray(value)) return value.some(holdsUnsafe);
  if (isDict(value)) return Object.values(value).some(holdsUnsafe);
  return false;
}
