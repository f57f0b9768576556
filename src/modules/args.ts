// Validates and converts task arguments against a module's spec, with Ansible's
// type coercions and its error messages (unsupported, missing, choices, types).
import { isDict, PyFloat, pyRepr, pyStr } from '../template/pyvalues';
import type { ArgConstraints, ArgDef, ArgSpec, ArgType } from './types';

export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

const TRUE_STRINGS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_STRINGS = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** Ansible's boolean() conversion. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  const s = pyStr(v instanceof PyFloat ? v.value : v).toLowerCase();
  if (TRUE_STRINGS.has(s) || s === '1.0') return true;
  if (FALSE_STRINGS.has(s) || s === '0.0') return false;
  throw new ArgumentError(
    `The value '${pyStr(v)}' is not a valid boolean.  Valid booleans include: 'off', 'f', 0, 1, 'n', 'false', 'y', 'on', 'yes', 't', 'true', 'no', '1', '0', '1.0', '0.0'`,
  );
}

function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

function convert(name: string, value: unknown, type: ArgType, def: ArgDef): unknown {
  if (value === null || value === undefined) return null;
  const fail = (what: string, extra = ''): never => {
    throw new ArgumentError(
      `argument '${name}' is of type <class '${typeName(value)}'> and we were unable to convert to ${what}${extra}`,
    );
  };
  switch (type) {
    case 'raw':
      return value;
    case 'str':
    case 'path': {
      if (typeof value === 'string') return value;
      if (Array.isArray(value) || isDict(value)) return pyStr(value);
      return pyStr(value);
    }
    case 'bool':
      try {
        return toBool(value);
      } catch (e) {
        return fail('bool', `: ${(e as Error).message}`);
      }
    case 'int': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      // Ansible's check_type_int accepts ints and int-like strings only; floats fail too.
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return parseInt(value, 10);
      return fail('int', `: <class '${typeName(value)}'> cannot be converted to an int`);
    }
    case 'float': {
      if (typeof value === 'number') return value;
      if (value instanceof PyFloat) return value.value;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      return fail('float', `: could not convert string to float: ${pyRepr(value)}`);
    }
    case 'list': {
      let list: unknown[];
      if (Array.isArray(value)) list = value;
      else if (typeof value === 'string') list = value.split(',');
      else if (typeof value === 'number' || value instanceof PyFloat) list = [pyStr(value)];
      else return fail('list');
      if (def.elements) return list.map((e, i) => convert(`${name}[${i}]`, e, def.elements as ArgType, {}));
      return list;
    }
    case 'dict': {
      if (isDict(value)) return value;
      if (typeof value === 'string') {
        const t = value.trim();
        if (t.startsWith('{')) {
          try {
            return JSON.parse(t);
          } catch {
            return fail('dict', ': dictionary requested, could not parse JSON or key=value');
          }
        }
        const out: Record<string, string> = {};
        for (const part of t.split(/[,\s]+/).filter(Boolean)) {
          const eq = part.indexOf('=');
          if (eq < 0) return fail('dict', ': dictionary requested, could not parse JSON or key=value');
          out[part.slice(0, eq)] = part.slice(eq + 1);
        }
        return out;
      }
      return fail('dict');
    }
    case 'jsonarg':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'bytes':
    case 'bits':
      return value;
  }
}

/** Names Ansible lists after "Supported parameters include:". */
function supportedList(spec: ArgSpec): string {
  const names = Object.keys(spec).filter((k) => !k.startsWith('_tsible')).sort();
  const aliases = Object.values(spec)
    .flatMap((d) => d.aliases ?? [])
    .sort();
  return names.join(', ') + (aliases.length ? ` (${aliases.join(', ')})` : '');
}

/** Checks and converts args; returns a new object with every spec key (defaults filled, null when unset). */
export function validateArgs(
  moduleName: string,
  spec: ArgSpec,
  raw: Record<string, unknown>,
  constraints: ArgConstraints = {},
): Record<string, unknown> {
  const aliasOf = new Map<string, string>();
  for (const [k, d] of Object.entries(spec)) for (const a of d.aliases ?? []) aliasOf.set(a, k);

  const given: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (k in spec) given[k] = v;
    else if (aliasOf.has(k)) given[aliasOf.get(k) as string] = v;
    else unknown.push(k);
  }
  if (unknown.length) {
    throw new ArgumentError(
      `Unsupported parameters for (${moduleName}) module: ${unknown.sort().join(', ')}. Supported parameters include: ${supportedList(spec)}.`,
    );
  }
  for (const group of constraints.mutuallyExclusive ?? []) {
    const set = group.filter((k) => given[k] !== undefined && given[k] !== null);
    if (set.length > 1) throw new ArgumentError(`parameters are mutually exclusive: ${group.join('|')}`);
  }
  const missing = Object.entries(spec)
    .filter(([k, d]) => d.required && (given[k] === undefined || given[k] === null))
    .map(([k]) => k);
  if (missing.length) throw new ArgumentError(`missing required arguments: ${missing.sort().join(', ')}`);

  const out: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(spec)) {
    const v = given[k] !== undefined ? given[k] : d.default !== undefined ? d.default : null;
    const converted = convert(k, v, d.type ?? 'str', d);
    if (d.choices && converted !== null) {
      const list = Array.isArray(converted) ? converted : [converted];
      for (const item of list) {
        if (!d.choices.some((c) => c === item || pyStr(c) === pyStr(item))) {
          throw new ArgumentError(
            `value of ${k} must be one of: ${d.choices.map((c) => pyStr(c)).join(', ')}, got: ${pyStr(item)}`,
          );
        }
      }
    }
    out[k] = converted;
  }
  for (const group of constraints.requiredOneOf ?? []) {
    if (!group.some((k) => out[k] !== null && out[k] !== undefined)) {
      throw new ArgumentError(`one of the following is required: ${group.join(', ')}`);
    }
  }
  for (const group of constraints.requiredTogether ?? []) {
    const set = group.filter((k) => given[k] !== undefined);
    if (set.length && set.length !== group.length) {
      throw new ArgumentError(`parameters are required together: ${group.join(', ')}`);
    }
  }
  for (const [param, value, reqs, anyOf] of constraints.requiredIf ?? []) {
    if (out[param] !== value) continue;
    const missingReq = reqs.filter((r) => out[r] === null || out[r] === undefined);
    if (anyOf ? missingReq.length === reqs.length : missingReq.length > 0) {
      throw new ArgumentError(
        `${param} is ${pyStr(value)} but ${anyOf ? 'any' : 'all'} of the following are missing: ${missingReq.join(', ')}`,
      );
    }
  }
  for (const [param, reqs] of Object.entries(constraints.requiredBy ?? {})) {
    if (given[param] === undefined) continue;
    const missingReq = reqs.filter((r) => out[r] === null || out[r] === undefined);
    if (missingReq.length) throw new ArgumentError(`missing parameter(s) required by '${param}': ${missingReq.join(', ')}`);
  }
  return out;
}
