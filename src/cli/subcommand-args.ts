// A small parser for the subcommands' own flags (`tsible lab ...`, `tsible test image ...`):
// --flag, --flag VALUE, --flag=VALUE; anything unknown is an error naming it.

export class SubcommandUsageError extends Error {}

export interface FlagSpec {
  /** Flags that take a value (without the leading --). */
  values: readonly string[];
  /** Flags that stand alone. */
  switches: readonly string[];
}

export interface ParsedFlags {
  positional: string[];
  values: Record<string, string>;
  switches: Set<string>;
}

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const out: ParsedFlags = { positional: [], values: {}, switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = (eq > 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
    if (flag === 'h' || flag === 'help') {
      out.switches.add('help');
      continue;
    }
    if (spec.switches.includes(flag) && eq < 0) out.switches.add(flag);
    else if (spec.values.includes(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new SubcommandUsageError(`${arg} needs a value`);
      out.values[flag] = value;
    } else throw new SubcommandUsageError(`unknown option ${arg}`);
  }
  return out;
}

export function countFlag(flags: ParsedFlags, name: string): number | undefined {
  const v = flags.values[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new SubcommandUsageError(`--${name} needs a whole number (got '${v}')`);
  return Number(v);
}
