// The target's Python for the few modules that use one (pip, setup's python facts): the host's
// ansible_python_interpreter when set, else found on the target (never required by tsible).
import type { ModuleContext } from '../types';

/** ansible_python_interpreter templated; undefined when unset or not a usable string. */
export function pythonInterpreter(ctx: Pick<ModuleContext, 'vars' | 'controller'>): string | undefined {
  const raw = ctx.vars.ansible_python_interpreter;
  if (raw === undefined || raw === null) return undefined;
  try {
    const v = ctx.controller.template(raw);
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}
