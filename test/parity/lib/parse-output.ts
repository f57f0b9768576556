// Reads ansible-playbook's default callback output into comparable records:
// per task the status of each host (and item), debug payloads, and the PLAY RECAP.

export interface HostEvent {
  status: string; // ok | changed | skipping | fatal | failed | unreachable | included | ignoring
  host: string;
  item?: string;
  /** JSON payload printed on several lines (debug output), normalised. */
  payload?: unknown;
}

export interface TaskRecord {
  banner: string;
  events: HostEvent[];
}

export interface OutputRecord {
  plays: string[];
  tasks: TaskRecord[];
  recap: Record<string, Record<string, number>>;
}

const STATUS_RE = /^(ok|changed|skipping|fatal|failed|included|unreachable): \[([^\]]+)\](.*)$/;

function itemOf(rest: string): string | undefined {
  const m = /\(item=(.*?)\)( => |\s*$|:)/.exec(rest);
  return m ? m[1] : undefined;
}

export function parseOutput(text: string, scratch: string): OutputRecord {
  const lines = text.split(scratch).join('<SCRATCH>').split('\n');
  const rec: OutputRecord = { plays: [], tasks: [], recap: {} };
  let current: TaskRecord | undefined;
  let inRecap = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const banner = /^(PLAY|TASK|RUNNING HANDLER) \[(.*)\] \*+$/.exec(line) ?? /^(PLAY) \*+$/.exec(line);
    if (line.startsWith('PLAY RECAP')) {
      inRecap = true;
      continue;
    }
    if (banner) {
      if (banner[1] === 'PLAY') rec.plays.push(banner[2] ?? '');
      else {
        current = { banner: `${banner[1]} [${banner[2]}]`, events: [] };
        rec.tasks.push(current);
      }
      continue;
    }
    if (inRecap) {
      const m = /^(\S+)\s+: (.*)$/.exec(line);
      if (m) {
        const counters: Record<string, number> = {};
        for (const kv of (m[2] ?? '').trim().split(/\s+/)) {
          const [k, v] = kv.split('=');
          if (k && v !== undefined) counters[k] = Number(v);
        }
        rec.recap[m[1] as string] = counters;
      }
      continue;
    }
    if (line === '...ignoring' && current) {
      const last = current.events[current.events.length - 1];
      if (last) last.status += '+ignored';
      continue;
    }
    const inc = /^included: (.*) for (.*)$/.exec(line);
    if (inc && current) {
      for (const host of (inc[2] ?? '').split(', ')) current.events.push({ status: 'included', host, item: inc[1] });
      continue;
    }
    const m = STATUS_RE.exec(line);
    if (!m || !current) continue;
    const [, status, hostPart, rest = ''] = m;
    const ev: HostEvent = { status: status as string, host: (hostPart as string).split(' -> ')[0] as string };
    const item = itemOf(rest);
    if (item !== undefined) ev.item = item;
    if (status === 'fatal' && rest.startsWith(': UNREACHABLE!')) ev.status = 'unreachable';
    if (rest.endsWith('=> {') && (status === 'ok' || status === 'changed' || status === 'skipping')) {
      const body: string[] = ['{'];
      while (i + 1 < lines.length) {
        i++;
        body.push(lines[i] as string);
        if (lines[i] === '}') break;
      }
      try {
        ev.payload = JSON.parse(body.join('\n'));
      } catch {
        ev.payload = body.join('\n');
      }
    }
    current.events.push(ev);
  }
  for (const t of rec.tasks) t.events.sort((a, b) => (a.host + (a.item ?? '')).localeCompare(b.host + (b.item ?? '')));
  return rec;
}
