// What add_host, group_by and set_stats results do to the run: the in-memory inventory gains
// hosts and groups (the result's `changed` says whether it did), custom stats accumulate.
import type { ModuleResult } from '../modules/types';
import { isDict } from '../template/pyvalues';
import type { RunContext } from './context';

/** Applies an action's inventory and stats requests; sets `changed` as Ansible's strategy does. */
export function applyRunEffects(ctx: RunContext, host: string, result: ModuleResult): void {
  if (result.failed || result.skipped) return;
  const addHost = result.add_host;
  if (isDict(addHost) && typeof addHost.host_name === 'string') {
    const groups = Array.isArray(addHost.groups) ? addHost.groups.map(String) : [];
    const vars = isDict(addHost.host_vars) ? addHost.host_vars : {};
    result.changed = ctx.inventory.addHost(addHost.host_name, groups, vars).changed;
  } else if (typeof result.add_group === 'string') {
    const parents = Array.isArray(result.parent_groups) ? result.parent_groups.map(String) : [];
    result.changed = ctx.inventory.groupBy(host, result.add_group, parents);
  }
  const stats = result.ansible_stats;
  if (isDict(stats) && isDict(stats.data)) {
    const who = stats.per_host === true ? host : undefined;
    for (const [k, v] of Object.entries(stats.data)) {
      if (stats.aggregate === false) ctx.stats.setCustom(k, v, who);
      else ctx.stats.updateCustom(k, v, who);
    }
  }
}
