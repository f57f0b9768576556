// Environment substitution in molecule.yml as Molecule does it before parsing the YAML:
// Python string.Template with `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}` and `$$`.

/** The placeholder grammar of Molecule's template (Python's string.Template, case-insensitive). */
const ID = '[_a-z][_a-z0-9]*(?::?-[^}]+)?';
const PLACEHOLDER = new RegExp(`\\$(?:(\\$)|(${ID})|\\{(${ID})\\}|())`, 'gi');

export class InterpolationError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

function resolve(named: string, env: Readonly<Record<string, string | undefined>>, keepPrefix?: string): string {
  // Names under the kept prefix (MOLECULE_) stay for the second pass, once they are known.
  if (keepPrefix && named.startsWith(keepPrefix)) return `$${named}`;
  const lookup = (name: string): string | undefined => env[name];
  const defaultOf = (d: string): string => (d.startsWith('$') ? (lookup(d.slice(1)) ?? '') : d);
  const colon = named.indexOf(':-');
  if (colon >= 0) {
    const value = lookup(named.slice(0, colon));
    return value ? value : defaultOf(named.slice(colon + 2));
  }
  const dash = named.indexOf('-');
  if (dash >= 0) return lookup(named.slice(0, dash)) ?? defaultOf(named.slice(dash + 1));
  return lookup(named) ?? '';
}

/** Line and column (1-based) of an offset, as Python's string.Template reports them. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

/**
 * Substitutes environment variables into the text of molecule.yml. Variables starting with
 * `keepPrefix` are left as `$NAME` (Molecule's first pass keeps MOLECULE_* for later).
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>, keepPrefix?: string): string {
  return text.replace(PLACEHOLDER, (whole: string, escaped?: string, named?: string, braced?: string, invalid?: string, offset?: number) => {
    if (escaped !== undefined) return '$';
    const name = named ?? braced;
    if (name !== undefined) return resolve(name, env, keepPrefix);
    if (invalid !== undefined) {
      const p = position(text, offset ?? 0);
      throw new InterpolationError(`Invalid placeholder in string: line ${p.line}, col ${p.column}`, p.line, p.column);
    }
    return whole;
  });
}
