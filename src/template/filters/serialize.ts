// JSON and YAML (de)serialisation filters with Python's json.dumps / PyYAML output.
import { parseAllDocuments } from 'yaml';
import { loadYamlText } from '../../parsing/yaml';
import { TemplateError } from '../../errors';
import type { FilterFn } from '../plugin-types';
import { isDict, pyJsonDumps, pyStr, truthy } from '../pyvalues';
import { requireDefined } from './helpers';
import { pyJsonLoads } from './json-parse';
import { yamlDump } from './yaml-dump';

/** json.dumps with separators/indent/sort_keys/ensure_ascii keyword arguments. */
export function jsonDumps(value: unknown, kwargs: Record<string, unknown>, defaults: { indent?: number; sortKeys?: boolean; itemSep?: string } = {}): string {
  const indentArg = 'indent' in kwargs ? kwargs.indent : defaults.indent;
  const indent = indentArg === null || indentArg === undefined ? undefined : Number(indentArg);
  const sortKeys = 'sort_keys' in kwargs ? truthy(kwargs.sort_keys) : defaults.sortKeys ?? false;
  const ensureAscii = 'ensure_ascii' in kwargs ? truthy(kwargs.ensure_ascii) : true;
  let text = pyJsonDumps(requireDeepDefined(value), { indent, sortKeys, ensureAscii });
  // Python uses ", " between items unless indented (then ","); pyJsonDumps follows that already.
  const seps = kwargs.separators;
  if (Array.isArray(seps) && seps.length === 2) text = respace(text, pyStr(seps[0]), pyStr(seps[1]), indent !== undefined);
  return text;
}

/** json.dumps of a structure holding an Undefined fails in Ansible, so it fails here too. */
function requireDeepDefined(v: unknown): unknown {
  requireDefined(v);
  if (Array.isArray(v)) v.forEach(requireDeepDefined);
  else if (isDict(v)) Object.values(v).forEach(requireDeepDefined);
  return v;
}

/** Rewrites the separators of a pyJsonDumps result outside strings. */
function respace(text: string, itemSep: string, keySep: string, indented: boolean): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',' && (indented ? text[i + 1] === '\n' : text[i + 1] === ' ')) {
      out += indented ? itemSep.replace(/ +$/, '') : itemSep;
      if (!indented) i++;
      continue;
    }
    if (c === ':' && text[i + 1] === ' ') {
      out += keySep;
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

/** from_yaml uses the engine's YAML 1.1 loader, so 2.0 stays a float and yes/no are booleans. */
function loadYaml(text: string): unknown {
  try {
    return loadYamlText(text, '<from_yaml>');
  } catch (e) {
    throw new TemplateError(`failed to parse YAML: ${(e as Error).message}`);
  }
}

function yamlOptions(kwargs: Record<string, unknown>) {
  return {
    width: 'width' in kwargs ? Number(kwargs.width) : undefined,
    sortKeys: 'sort_keys' in kwargs ? truthy(kwargs.sort_keys) : true,
    explicitStart: truthy(kwargs.explicit_start ?? false),
  };
}

export const serializeFilters = {
  to_json: (_ctx, value, _args, kwargs) => jsonDumps(value, kwargs),
  tojson: (_ctx, value, args, kwargs) => {
    const indent = args[0] ?? kwargs.indent;
    return jsonDumps(value, indent === undefined ? {} : { indent }, { sortKeys: true })
      .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027');
  },
  to_nice_json: (_ctx, value, args, kwargs) =>
    jsonDumps(value, { ...kwargs, indent: args[0] ?? kwargs.indent ?? 4, sort_keys: args[1] ?? kwargs.sort_keys ?? true }),
  from_json: (_ctx, value) => {
    const s = pyStr(requireDefined(value));
    try {
      return pyJsonLoads(s);
    } catch (e) {
      throw new TemplateError(`Expecting value: ${(e as Error).message}`);
    }
  },
  to_yaml: (_ctx, value, _args, kwargs) =>
    yamlDump(requireDefined(value), {
      ...yamlOptions(kwargs),
      indent: 'indent' in kwargs ? Number(kwargs.indent) : undefined,
      defaultFlowStyle: 'default_flow_style' in kwargs ? (kwargs.default_flow_style as boolean | null) : null,
    }),
  to_nice_yaml: (_ctx, value, args, kwargs) =>
    yamlDump(requireDefined(value), { ...yamlOptions(kwargs), indent: Number(args[0] ?? kwargs.indent ?? 4), defaultFlowStyle: false }),
  from_yaml: (_ctx, value) => (typeof requireDefined(value) === 'string' ? loadYaml(value as string) : value),
  from_yaml_all: (_ctx, value) => {
    if (typeof requireDefined(value) !== 'string') return value;
    return parseAllDocuments(value as string, { version: '1.1' }).map((d) => ('toJS' in d ? d.toJS() : null));
  },
} satisfies Record<string, FilterFn>;
