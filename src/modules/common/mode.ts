// File mode arguments as Ansible reads them: ints (YAML 0644 → 420), octal strings,
// and symbolic clauses ('u+rwx,g-w,o=r') evaluated against the current mode.
import { ModuleFail } from './fail';

const USER_BITS: Record<string, { r: number; w: number; x: number; s: number; t: number; all: number }> = {
  u: { r: 0o400, w: 0o200, x: 0o100, s: 0o4000, t: 0, all: 0o4700 },
  g: { r: 0o040, w: 0o020, x: 0o010, s: 0o2000, t: 0, all: 0o2070 },
  o: { r: 0o004, w: 0o002, x: 0o001, s: 0, t: 0o1000, all: 0o1007 },
};

function permsFor(who: string, perms: string, mode: number, isDir: boolean): number {
  const bits = USER_BITS[who] as (typeof USER_BITS)['u'];
  // u/g/o as perms copy another class's current rwx bits
  if (perms === 'u' || perms === 'g' || perms === 'o') {
    const shift = { u: 6, g: 3, o: 0 }[perms];
    const rwx = (mode >> shift) & 7;
    return ((rwx & 4 ? bits.r : 0) | (rwx & 2 ? bits.w : 0) | (rwx & 1 ? bits.x : 0));
  }
  let out = 0;
  for (const ch of perms) {
    if (ch === 'r') out |= bits.r;
    else if (ch === 'w') out |= bits.w;
    else if (ch === 'x') out |= bits.x;
    else if (ch === 'X') {
      if (isDir || mode & 0o111) out |= bits.x;
    } else if (ch === 's') out |= bits.s;
    else if (ch === 't') out |= bits.t;
  }
  return out;
}

/** Applies symbolic mode clauses to the current permission bits (Ansible's rules: no umask). */
export function symbolicToOctal(symbolic: string, current: number, isDir: boolean, umask = 0o022): number {
  const original = current & 0o7777;
  let mode = original;
  for (const clause of symbolic.split(',')) {
    const m = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/.exec(clause);
    if (!m) throw new Error(`bad symbolic permission for mode: ${symbolic}`);
    let users = m[1] as string;
    // an empty class list means 'a' but leaves the umask's bits alone, as chmod(1) does
    const keep = users === '' ? ~umask : 0o7777;
    if (users === '' || users.includes('a')) users = 'ugo';
    const ops = (m[2] as string).match(/[-+=](?:[rwxXst]*|[ugo])/g) ?? [];
    for (const op of ops) {
      const operator = op[0] as string;
      const perms = op.slice(1);
      for (const who of new Set(users)) {
        // X and u/g/o copies look at the mode before this argument, as Ansible does
        const p = permsFor(who, perms, original, isDir) & keep;
        const mask = (USER_BITS[who] as (typeof USER_BITS)['u']).all;
        if (operator === '=') mode = (mode & ~mask) | p;
        else if (operator === '+') mode |= p;
        else mode &= ~p;
      }
    }
  }
  return mode;
}

/** True when the mode is given symbolically (needs the current mode to evaluate). */
export function isSymbolicMode(mode: unknown): boolean {
  return typeof mode === 'string' && !/^[0-7]+$/.test(mode);
}

/** Resolves a mode argument against the current bits; throws ModuleFail like Ansible on bad input. */
export function resolveMode(mode: unknown, current: number, isDir: boolean, path: string): number {
  if (typeof mode === 'number') return mode;
  const s = String(mode);
  if (/^[0-7]+$/.test(s)) return parseInt(s, 8);
  try {
    return symbolicToOctal(s, current, isDir);
  } catch (e) {
    throw new ModuleFail('mode must be in octal or symbolic form', { path, details: (e as Error).message });
  }
}
