// validate_argument_spec: checks variables (and role parameters) against an argument spec, as
// Ansible's action does; the loader puts it first in a role whose meta has argument_specs.
import { isDict } from '../../template/pyvalues';
import { ArgumentError, validateArgs } from '../args';
import type { ArgDef, ArgSpec, ArgType, ModuleDef } from '../types';

const TYPES = new Set<ArgType>(['str', 'bool', 'int', 'float', 'path', 'list', 'dict', 'raw', 'jsonarg', 'bytes', 'bits']);

/** A spec as role meta writes it (type, required, default, choices, elements, options, aliases, no_log). */
export function toArgSpec(data: Record<string, unknown>): ArgSpec {
  const spec: ArgSpec = {};
  for (const [name, raw] of Object.entries(data)) {
    const d = isDict(raw) ? raw : {};
    const def: ArgDef = {};
    if (typeof d.type === 'string' && TYPES.has(d.type as ArgType)) def.type = d.type as ArgType;
    if (d.required === true) def.required = true;
    if (d.default !== undefined) def.default = d.default;
    if (Array.isArray(d.choices)) def.choices = d.choices;
    if (Array.isArray(d.aliases)) def.aliases = d.aliases.map(String);
    if (typeof d.elements === 'string' && TYPES.has(d.elements as ArgType)) def.elements = d.elements as ArgType;
    if (d.no_log === true) def.noLog = true;
    if (isDict(d.options)) def.options = toArgSpec(d.options);
    spec[name] = def;
  }
  return spec;
}

export const validateArgumentSpecModule: ModuleDef = {
  name: 'validate_argument_spec',
  spec: {
    argument_spec: { type: 'dict', required: true },
    provided_arguments: { type: 'dict' },
    validate_args_context: { type: 'dict' },
  },
  controllerOnly: true,
  checkMode: true,
  async run(args, ctx) {
    const specData = (args.argument_spec ?? {}) as Record<string, unknown>;
    const context = args.validate_args_context ?? {};
    // the spec's names taken from the host's variables, then the parameters given (which win)
    const values: Record<string, unknown> = {};
    for (const name of Object.keys(specData)) if (name in ctx.vars) values[name] = ctx.controller.template(ctx.vars[name]);
    const provided = (args.provided_arguments ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(provided)) if (k in specData) values[k] = v;
    try {
      validateArgs('validate_argument_spec', toArgSpec(specData), values);
    } catch (e) {
      if (!(e instanceof ArgumentError)) throw e;
      return {
        changed: false,
        failed: true,
        msg: `Validation of arguments failed:\n${e.message}`,
        argument_spec_data: specData,
        argument_errors: [e.message],
        validate_args_context: context,
      };
    }
    return { changed: false, msg: 'The arg spec validation passed', validate_args_context: context };
  },
};
