// Turns `loop:` and `with_<lookup>:` into the list of items, and builds the per-item
// variables (loop_var, index_var, ansible_loop) of loop_control.
import { TemplateError, UndefinedVariableError } from '../errors';
import type { Task } from '../playbook/model';
import type { LookupFn, PluginContext } from '../template/plugin-types';
import { isDict, isTuple, pyRepr } from '../template/pyvalues';
import type { LookupContext, TemplarApi } from '../template/types';
import { unsafeCopy } from '../template/unsafe';

export interface LoopControl {
  loopVar: string;
  indexVar?: string;
  label?: unknown;
  pause: number;
  extended: boolean;
  extendedAllitems: boolean;
}

export function loopControlOf(task: Task): LoopControl {
  const lc = task.loopControl ?? {};
  return {
    loopVar: typeof lc.loop_var === 'string' ? lc.loop_var : 'item',
    indexVar: typeof lc.index_var === 'string' ? lc.index_var : undefined,
    label: lc.label,
    pause: Number(lc.pause ?? 0) || 0,
    extended: Boolean(lc.extended),
    extendedAllitems: lc.extended_allitems === undefined ? true : Boolean(lc.extended_allitems),
  };
}

/** The items of a task's loop, templated with the host's variables. */
export function resolveLoopItems(
  task: Task,
  templar: TemplarApi,
  lookupCtx: LookupContext | undefined,
  lookups: Record<string, LookupFn>,
): unknown[] {
  const loop = task.loop;
  if (!loop) return [];
  if (loop.kind === 'loop') {
    const value = templar.template(loop.value);
    if (!Array.isArray(value)) {
      throw new TemplateError(
        `Invalid data passed to 'loop', it requires a list, got this instead: ${pyRepr(value)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`,
      );
    }
    return value;
  }
  const name = loop.lookup as string;
  const fn = lookups[name];
  if (!fn) throw new TemplateError(`lookup plugin (${name}) not found`);
  // first_found loops drop terms that cannot be templated yet instead of failing (Ansible)
  let terms = name === 'first_found' ? firstFoundTerms(templar, loop.value) : templar.template(loop.value);
  // Ansible hands a dict to the lookup as it is; the list lookup refuses anything but a sequence
  if (name === 'list' && isDict(terms)) throw new TemplateError('with_list expects a list');
  // listify_lookup_plugin_terms keeps a dict as it is: lookups that want a list refuse it
  if (name === 'indexed_items' && isDict(terms)) throw new TemplateError('with_indexed_items expects a list');
  if (typeof terms === 'string') terms = [terms];
  else if (!Array.isArray(terms)) terms = [terms];
  const pctx: PluginContext = {
    templar,
    resolveVariable: (n: string) => templar.evaluate(n),
    lookups: lookupCtx,
    subdir: loopSubdir(task.action),
  };
  // with_* items reach tasks as lists in Ansible (with_indexed_items, with_subelements
  // print as [0, "a"]), so tuple items become plain arrays; and unsafe (wrap_var), so what a
  // template makes of them is never templated again
  return fn(pctx, terms as unknown[], {}).map((item) => unsafeCopy(isTuple(item) ? [...(item as unknown[])] : item));
}

/** The directory a with_<lookup> loop searches, from the task's action as Ansible picks it. */
export function loopSubdir(action: string): 'files' | 'templates' | 'vars' {
  if (action.includes('template')) return 'templates';
  if (action.includes('var')) return 'vars';
  return 'files';
}

function firstFoundTerms(templar: TemplarApi, value: unknown): unknown {
  if (!Array.isArray(value)) return templar.template(value);
  return value.flatMap((term) => {
    try {
      return [templar.template(term)];
    } catch (e) {
      if (e instanceof UndefinedVariableError) return [];
      throw e;
    }
  });
}

/** Variables a single iteration adds: the item, index_var, ansible_loop. */
export function itemVars(lc: LoopControl, items: unknown[], index: number): Record<string, unknown> {
  const item = items[index];
  const vars: Record<string, unknown> = { [lc.loopVar]: item, ansible_loop_var: lc.loopVar };
  if (lc.indexVar) {
    vars[lc.indexVar] = index;
    vars.ansible_index_var = lc.indexVar;
  }
  if (lc.extended) {
    const n = items.length;
    const loop: Record<string, unknown> = {
      index: index + 1, index0: index, revindex: n - index, revindex0: n - index - 1,
      first: index === 0, last: index === n - 1, length: n,
      previtem: index > 0 ? items[index - 1] : undefined,
      nextitem: index < n - 1 ? items[index + 1] : undefined,
    };
    if (loop.previtem === undefined) delete loop.previtem;
    if (loop.nextitem === undefined) delete loop.nextitem;
    if (lc.extendedAllitems) loop.allitems = items;
    vars.ansible_loop = loop;
  }
  return vars;
}

/** The loop variables an iteration's vars or its result record carry (item, index_var, ansible_loop). */
export function loopVarsOf(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lv = v.ansible_loop_var;
  if (typeof lv === 'string') {
    out[lv] = v[lv];
    out.ansible_loop_var = lv;
  }
  const iv = v.ansible_index_var;
  if (typeof iv === 'string') out[iv] = v[iv];
  // loop_control.extended: the included tasks see ansible_loop too
  if (v.ansible_loop !== undefined) out.ansible_loop = v.ansible_loop;
  return out;
}
