// The gather_facts action: runs the fact modules (FACTS_MODULES / ansible_facts_modules, 'smart'
// = the connection's, setup here) in order and deep-merges their facts as Ansible does.
import type { ArgSpec, ModuleContext, ModuleDef, ModuleResult } from '../modules/types';
import { isDict, pyStr } from '../template/pyvalues';
import { setupModule } from './setup';

const SETUP_NAMES = new Set(['setup', 'ansible.builtin.setup', 'ansible.legacy.setup']);

/** The fact modules to run: the ansible_facts_modules variable, else FACTS_MODULES; 'smart' is
 * the network OS's facts module (CONNECTION_FACTS_MODULES) or setup. */
function factModules(ctx: ModuleContext): string[] {
  const fromVars = ctx.vars.ansible_facts_modules;
  const raw = fromVars !== undefined ? ctx.controller.template(fromVars) : ctx.controller.setting?.('FACTS_MODULES');
  const list = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : ['smart']).map((m) => String(m).trim()).filter(Boolean);
  return list.map((m) => {
    if (m !== 'smart') return m;
    const networkOs = ctx.vars.ansible_network_os !== undefined ? ctx.controller.template(ctx.vars.ansible_network_os) : undefined;
    const map = ctx.controller.setting?.('CONNECTION_FACTS_MODULES');
    const mapped = typeof networkOs === 'string' && isDict(map) ? map[networkOs] : undefined;
    return typeof mapped === 'string' ? mapped : 'ansible.legacy.setup';
  });
}

/** Ansible's merge_hash(x, y, list_merge='append_rp'): dicts merged deeply, lists joined keeping
 * x's items that y lacks first, everything else y's. */
export function mergeAppendRp(x: unknown, y: unknown): unknown {
  if (isDict(x) && isDict(y)) {
    const out: Record<string, unknown> = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = k in out ? mergeAppendRp(out[k], v) : v;
    return out;
  }
  if (Array.isArray(x) && Array.isArray(y)) {
    const inY = (v: unknown): boolean => y.some((w) => JSON.stringify(w) === JSON.stringify(v));
    return [...x.filter((v) => !inY(v)), ...y];
  }
  return y;
}

function withoutDefaults(spec: ArgSpec): ArgSpec {
  const out: ArgSpec = {};
  for (const [k, v] of Object.entries(spec)) {
    const { default: _d, ...rest } = v;
    out[k] = rest;
  }
  return out;
}

export const gatherFactsModule = {
  name: 'gather_facts',
  checkMode: true,
  // setup's options without their defaults: what the task leaves unset stays unset (Ansible
  // warns 'Ignoring subset(None)' for other fact modules, setup applies its own defaults)
  spec: { ...withoutDefaults(setupModule.spec), parallel: { type: 'bool' } },
  async run(args, ctx): Promise<ModuleResult> {
    const { parallel: _parallel, ...moduleArgs } = args;
    let merged: Record<string, unknown> = { ansible_facts: {}, warnings: [], deprecations: [] };
    const failed: Record<string, ModuleResult> = {};
    const skipped: Record<string, ModuleResult> = {};
    const modules = factModules(ctx);
    for (const name of modules) {
      let r: ModuleResult;
      if (SETUP_NAMES.has(name) || !ctx.runModule) r = await setupModule.run(moduleArgs, ctx);
      else {
        // setup's own options mean nothing to other fact modules (Ansible drops them, warning)
        const { gather_subset: subset, gather_timeout: _t, filter: _f, fact_path: _p, ...rest } = moduleArgs;
        if (JSON.stringify(subset) !== '["all"]' && subset !== 'all') ctx.warn(`Ignoring subset(${subset === undefined || subset === null ? 'None' : pyStr(subset)}) for ${name}`);
        r = await ctx.runModule(name, rest);
      }
      if (r.failed) failed[name] = r;
      else if (r.skipped) skipped[name] = r;
      else merged = mergeAppendRp(merged, { ansible_facts: r.ansible_facts ?? {}, warnings: r.warnings ?? [], deprecations: r.deprecations ?? [] }) as Record<string, unknown>;
    }
    const result: ModuleResult = { ...merged, changed: false, _ansible_verbose_override: true };
    const names = (o: Record<string, unknown>): string => Object.keys(o).join(', ');
    if (Object.keys(skipped).length) {
      Object.assign(result, { msg: `The following modules were skipped: ${names(skipped)}\n`, skipped_modules: skipped });
      if (Object.keys(skipped).length === modules.length) result.skipped = true;
    }
    if (Object.keys(failed).length) Object.assign(result, { failed: true, msg: `The following modules failed to execute: ${names(failed)}\n`, failed_modules: failed });
    // tells the executor the facts were gathered (kept under ansible_facts, as in Ansible)
    (result.ansible_facts as Record<string, unknown>)._ansible_facts_gathered = true;
    return result;
  },
} satisfies ModuleDef;
