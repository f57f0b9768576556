// PLAY RECAP counters, counted by Ansible's rules.
import type { HostStats, Stats } from '../reporting/types';
import { isDict } from '../template/pyvalues';

export class StatsCollector {
  private readonly hosts = new Map<string, HostStats>();
  /** set_stats data: per host, and '_run' for the whole run. */
  private readonly custom = new Map<string, Record<string, unknown>>();

  private of(host: string): HostStats {
    let s = this.hosts.get(host);
    if (!s) {
      s = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
      this.hosts.set(host, s);
    }
    return s;
  }

  increment(host: string, key: keyof HostStats): void {
    this.of(host)[key]++;
  }

  /** Makes the host appear in the recap even with nothing counted. */
  touch(host: string): void {
    this.of(host);
  }

  setCustom(key: string, value: unknown, host = '_run'): void {
    const bucket = this.custom.get(host) ?? {};
    bucket[key] = value;
    this.custom.set(host, bucket);
  }

  /** Aggregates as Ansible's update_custom_stats: dicts merge, same types add, other types are ignored. */
  updateCustom(key: string, value: unknown, host = '_run'): void {
    const bucket = this.custom.get(host);
    if (!bucket || !(key in bucket)) return this.setCustom(key, value, host);
    const old = bucket[key];
    if (isDict(old) && isDict(value)) bucket[key] = mergeHash(old, value);
    else if (typeof old === 'number' && typeof value === 'number') bucket[key] = old + value;
    else if (typeof old === 'string' && typeof value === 'string') bucket[key] = old + value;
    else if (Array.isArray(old) && Array.isArray(value)) bucket[key] = [...old, ...value];
  }

  snapshot(): Stats {
    const hosts: Record<string, HostStats> = {};
    for (const name of [...this.hosts.keys()].sort()) hosts[name] = { ...(this.hosts.get(name) as HostStats) };
    const custom: Record<string, Record<string, unknown>> = {};
    for (const [k, v] of this.custom) custom[k] = { ...v };
    return { hosts, custom };
  }
}

function mergeHash(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    out[k] = isDict(old) && isDict(v) ? mergeHash(old, v) : v;
  }
  return out;
}
