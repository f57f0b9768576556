// The config lookup: values of ansible-core settings (DEFAULT_ROLES_PATH, COLOR_OK...) or of a
// plugin's options (connection ssh's port), with on_missing=error|warn|skip.
import { LookupError } from '../../errors';
import type { LookupFn } from '../plugin-types';
import { isUndefined, pyStr } from '../pyvalues';
import { typeName } from '../pyops';

const PLUGIN_TYPES = ['become', 'cache', 'callback', 'cliconf', 'connection', 'httpapi', 'inventory', 'lookup', 'netconf', 'shell', 'vars'];

function checkChoice(option: string, value: unknown, choices: string[]): void {
  if (value === undefined || value === null || choices.includes(pyStr(value))) return;
  throw new LookupError(`Invalid value "${pyStr(value)}" for configuration option "plugin_type: lookup plugin: config setting: ${option} ", valid values are: ${choices.join(', ')}`);
}

export const config: LookupFn = (ctx, terms, kwargs) => {
  const missing = kwargs.on_missing ?? 'error';
  const ptype = kwargs.plugin_type;
  const pname = kwargs.plugin_name;
  checkChoice('on_missing', missing, ['error', 'skip', 'warn']);
  checkChoice('plugin_type', ptype, PLUGIN_TYPES);
  if ((ptype || pname) && !(ptype && pname)) throw new LookupError('Both plugin_type and plugin_name are required, cannot use one without the other');
  const plugin = ptype && pname ? { type: pyStr(ptype), name: pyStr(pname) } : undefined;
  const reader = ctx.lookups?.configSetting;
  const vars = (name: string) => {
    const v = ctx.resolveVariable(name);
    return isUndefined(v) ? undefined : v;
  };
  const out: unknown[] = [];
  for (const term of terms) {
    if (typeof term !== 'string') throw new LookupError(`Invalid setting identifier, "${pyStr(term)}" is not a string, its a <class '${typeName(term)}'>`);
    const r = reader ? reader(term, vars, plugin) : { found: false as const };
    if (r.found) {
      out.push(r.value);
      continue;
    }
    if (!r.found && r.invalid) throw new LookupError(`Invalid setting "${term}" attempted`);
    if (!r.found && r.unknownPlugin) throw new LookupError(`Unable to load ${plugin?.type} plugin "${plugin?.name}"`);
    const why = plugin
      ? `Requested entry (plugin_type: ${plugin.type} plugin: ${plugin.name} setting: ${term} ) was not defined in configuration.`
      : `module 'ansible.constants' has no attribute '${term}'`;
    if (missing === 'error') throw new LookupError(`Unable to find setting ${term}. ${why}. ${why}`);
    if (missing === 'warn') ctx.lookups?.warn?.(`Skipping, did not find setting ${term}`);
  }
  return out;
};
