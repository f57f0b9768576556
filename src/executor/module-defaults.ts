// module_defaults: argument defaults per module from the play, blocks and task (outermost
// first, inner wins), templated, under the arguments the task gives itself.
import { isDict } from '../template/pyvalues';
import type { ModuleDef } from '../modules/types';

/**
 * The task's arguments over the defaults that name its module (short name or FQCN); `mods`
 * lowest priority first (service's backend, e.g. systemd, before service itself).
 */
export function withModuleDefaults(
  args: Record<string, unknown>,
  layers: unknown[],
  mods: ModuleDef[],
  resolve: (name: string) => ModuleDef | undefined,
  template: (v: unknown) => unknown,
): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const mod of mods) collect(defaults, layers, mod, resolve, template);
  return Object.keys(defaults).length ? { ...defaults, ...args } : args;
}

function collect(
  defaults: Record<string, unknown>,
  layers: unknown[],
  mod: ModuleDef,
  resolve: (name: string) => ModuleDef | undefined,
  template: (v: unknown) => unknown,
): void {
  for (const layer of layers) {
    const entries = Array.isArray(layer) ? layer : [layer];
    for (const entry of entries) {
      const dict = isDict(entry) ? entry : isDict(template(entry)) ? (template(entry) as Record<string, unknown>) : undefined;
      if (!dict) continue;
      for (const [name, values] of Object.entries(dict)) {
        if (name.startsWith('group/') || resolve(name) !== mod) continue;
        const templated = template(values);
        if (isDict(templated)) Object.assign(defaults, templated);
      }
    }
  }
}

/** The module service runs: `use` when given, else the service manager the facts name. */
export function serviceBackend(use: unknown, facts: Record<string, unknown> | undefined): string | undefined {
  if (typeof use === 'string' && use !== '' && use !== 'auto' && !use.includes('{{')) return use;
  const mgr = facts?.service_mgr;
  return typeof mgr === 'string' && mgr !== '' ? mgr : undefined;
}
