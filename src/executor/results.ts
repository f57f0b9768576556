// Applying a host's task outcome to the run: stats by Ansible's rules, register,
// facts (set_fact, include_vars, gathered), and the registered result's shape.
import type { ModuleResult } from '../modules/types';
import type { Task } from '../playbook/model';
import { isDict } from '../template/pyvalues';
import type { RunContext } from './context';
import type { HostTaskOutcome } from './task-runner';
import { CLEAN_FACTS_ACTIONS } from './action';
import { markUnsafe } from '../template/unsafe';
import { isRestrictedFact } from '../vars/clean-facts';

/** The result as `register` stores it: internal keys removed; unsafe (never templated again)
 *  unless the action sets clean values (set_fact, include_vars). */
export function registeredShape(result: ModuleResult, action?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    if (k.startsWith('_ansible_') && k !== '_ansible_no_log') continue;
    if (k === 'results' && Array.isArray(v)) out[k] = v.map((r) => (isDict(r) ? registeredShape(r) : r));
    else out[k] = v;
  }
  if (!out.skipped && out.failed === undefined) out.failed = false;
  if (out.unreachable) delete out.failed;
  // a failure's message is unsafe even for set_fact/include_vars (Ansible wraps the error text)
  const clean = action === undefined || (CLEAN_FACTS_ACTIONS.has(action) && !out.failed);
  return clean ? out : markUnsafe(out);
}

export type FailHandling = 'rescued' | 'failed' | 'ignored' | 'none';

/** Counts the outcome in the recap. `rescue` tells whether a rescue section takes over. */
export function countOutcome(ctx: RunContext, o: HostTaskOutcome, failHandling: FailHandling): void {
  const s = ctx.stats;
  switch (o.status) {
    case 'unreachable':
      // ignore_unreachable: Ansible counts ok + ignored instead
      if (o.ignored) {
        s.increment(o.host, 'ok');
        s.increment(o.host, 'ignored');
      } else s.increment(o.host, 'unreachable');
      return;
    case 'skipped':
      s.increment(o.host, 'skipped');
      return;
    case 'failed':
      if (failHandling === 'ignored') {
        s.increment(o.host, 'ok');
        if (o.result.changed) s.increment(o.host, 'changed');
        s.increment(o.host, 'ignored');
      } else if (failHandling === 'rescued') s.increment(o.host, 'rescued');
      else s.increment(o.host, 'failed');
      return;
    case 'changed':
      s.increment(o.host, 'ok');
      s.increment(o.host, 'changed');
      return;
    default:
      s.increment(o.host, 'ok');
  }
}

const FACT_SETTERS = new Set(['set_fact']);

/** Stores facts a result carries; `defaultHost` is the delegated host with delegate_facts (per item when `factsToDelegated`). */
export function applyFacts(ctx: RunContext, task: Task, o: HostTaskOutcome, defaultHost: string, factsToDelegated = false): void {
  // `debug: var=ansible_facts` shows a key named ansible_facts; Ansible never takes facts from debug
  if (task.action === 'debug') return;
  const results = Array.isArray(o.result.results) ? (o.result.results as ModuleResult[]) : [o.result];
  for (const r of results) {
    const facts = r.ansible_facts;
    if (!isDict(facts) || r.failed || r.skipped) continue;
    // with delegate_to per loop item, each item's facts go to the host that item ran on
    const itemHost = isDict(r._ansible_delegated_vars) ? r._ansible_delegated_vars.ansible_delegated_host : undefined;
    const factsHost = factsToDelegated && typeof itemHost === 'string' ? itemHost : defaultHost;
    if (task.action !== 'include_vars' && (!FACT_SETTERS.has(task.action) || r._ansible_facts_cacheable)) {
      // cached facts become variables without these (clean_facts), with Ansible's warning
      for (const k of Object.keys(facts).filter(isRestrictedFact)) ctx.reporter.onWarning?.(`Removed restricted key from module data: ${k}`);
    }
    if (FACT_SETTERS.has(task.action)) {
      ctx.vars.setNonPersistent(factsHost, facts);
      if (r._ansible_facts_cacheable) ctx.vars.setFacts(factsHost, facts);
    } else if (task.action === 'include_vars') {
      ctx.vars.setIncludeVars(o.host, facts);
    } else if (task.action === 'setup') {
      const prefixed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(facts)) prefixed[k.startsWith('ansible_') || k === 'module_setup' || k === 'gather_subset' ? k : `ansible_${k}`] = v;
      ctx.vars.setFacts(factsHost, prefixed);
    } else {
      ctx.vars.setFacts(factsHost, facts);
    }
  }
}
