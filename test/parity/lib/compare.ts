// Compares two case records (reference ansible vs tsible): exit codes, RECAP, task
// statuses per host and item, debug payloads, and the resulting files.
import type { CaseRecord } from './run';

/** Keys Ansible adds that tsible does not have (it runs no Python on targets). */
const PYTHON_ONLY_KEYS = ['discovered_interpreter_python'];

function normalisePayload(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalisePayload);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (PYTHON_ONLY_KEYS.includes(k)) continue;
      if (k === 'ansible_facts' && x && typeof x === 'object' && Object.keys(x).every((f) => PYTHON_ONLY_KEYS.includes(f))) continue;
      out[k] = normalisePayload(x);
    }
    return out;
  }
  return v;
}

export function comparable(rec: CaseRecord): unknown {
  return rec.runs.map((r) => ({
    args: r.args,
    exitCode: r.exitCode,
    recap: r.output.recap,
    plays: r.output.plays,
    tasks: r.output.tasks.map((t) => ({
      banner: t.banner,
      events: t.events.map((e) => ({ ...e, payload: e.payload === undefined ? undefined : normalisePayload(e.payload) })),
    })),
    tree: r.tree,
    // --list-tasks/--list-tags/--list-hosts/--syntax-check print a listing instead of a run: compare it whole
    ...(r.args.some((a) => a.startsWith('--list-') || a === '--syntax-check') ? { listing: sortedHostLists(r.stdout) } : {}),
  }));
}

/** Ansible lists a play's hosts in set order (it varies between runs): compare them sorted. */
function sortedHostLists(listing: string): string {
  const lines = listing.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*hosts \(\d+\):$/.test(lines[i] ?? '')) continue;
    let end = i + 1;
    while (end < lines.length && /^\s{6,}\S/.test(lines[end] ?? '')) end++;
    lines.splice(i + 1, end - i - 1, ...lines.slice(i + 1, end).sort());
    i = end - 1;
  }
  return lines.join('\n');
}

export function lastRunChanged(rec: CaseRecord): number {
  const last = rec.runs[rec.runs.length - 1];
  if (!last) return 0;
  return Object.values(last.output.recap).reduce((n, c) => n + (c.changed ?? 0), 0);
}
