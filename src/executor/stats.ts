// PLAY RECAP counters, counted by Ansible's rules.
import type { HostStats, Stats } from '../reporting/types';

export class StatsCollector {
  private readonly hosts = new Map<string, HostStats>();

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

  snapshot(): Stats {
    const hosts: Record<string, HostStats> = {};
    for (const name of [...this.hosts.keys()].sort()) hosts[name] = { ...(this.hosts.get(name) as HostStats) };
    return { hosts };
  }
}
