// module_defaults: argument defaults per module from the play, blocks and task (outermost
// first, inner wins), templated, under the arguments the task gives itself.
import { isDict } from '../template/pyvalues';
import type { ModuleDef } from '../modules/types';

/** The task's arguments over the defaults that name this module (short name or FQCN). */
export function withModuleDefaults(
  args: Record<string, unknown>,
  layers: unknown[],
  mod: ModuleDef,
  resolve: (name: string) => ModuleDef | undefined,
  template: (v: unknown) => unknown,
): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
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
  return Object.keys(defaults).length ? { ...defaults, ...args } : args;
}
