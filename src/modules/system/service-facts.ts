// service_facts: services keyed by name, from systemctl (systemd hosts) or `service --status-all`.
import type { ModuleDef } from '../types';

const MARK = '@@TSIBLE_SVC@@';

type Services = Record<string, { name: string; state: string; status?: string; source: string }>;

export function parseStatusAll(text: string): Services {
  const services: Services = {};
  for (const line of text.split('\n')) {
    const m = /^\s*\[\s*([+-?])\s*\]\s+(\S+)/.exec(line);
    if (!m || m[1] === '?') continue; // unknown status: Ansible leaves those out
    const name = m[2] as string;
    services[name] = { name, state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
  }
  return services;
}

export function parseSystemdUnits(units: string, unitFiles: string): Services {
  const services: Services = {};
  for (const line of units.split('\n')) {
    const fields = line.replace(/^[●*]\s*/, '').trim().split(/\s+/);
    const [unit = '', , active = '', sub = ''] = fields;
    if (!unit.endsWith('.service')) continue;
    let state = 'unknown';
    if (sub === 'running') state = 'running';
    else if (['exited', 'dead'].includes(sub) || active === 'inactive') state = 'stopped';
    else if (active === 'failed' || sub === 'failed') state = 'failed';
    else state = sub || 'unknown';
    services[unit] = { name: unit, state, status: 'unknown', source: 'systemd' };
  }
  for (const line of unitFiles.split('\n')) {
    const [unit = '', status = ''] = line.trim().split(/\s+/);
    if (!unit.endsWith('.service')) continue;
    const existing = services[unit];
    if (existing) existing.status = status;
    else services[unit] = { name: unit, state: 'inactive', status, source: 'systemd' };
  }
  return services;
}

export const serviceFactsModule = {
  name: 'service_facts',
  checkMode: true,
  spec: {},
  async run(_args, ctx) {
    const script = [
      `if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then`,
      `  echo '${MARK} units'; systemctl list-units --no-pager --type service --all --plain --no-legend 2>/dev/null`,
      `  echo '${MARK} files'; systemctl list-unit-files --no-pager --type service --plain --no-legend 2>/dev/null`,
      `elif command -v service >/dev/null 2>&1; then`,
      `  echo '${MARK} sysv'; service --status-all 2>&1`,
      'else',
      `  echo '${MARK} sysv'; for s in /etc/init.d/*; do [ -x "$s" ] || continue; "$s" status >/dev/null 2>&1 && echo " [ + ]  \${s##*/}" || echo " [ - ]  \${s##*/}"; done`,
      'fi',
      'exit 0',
    ].join('\n');
    const r = await ctx.conn.exec(script + '\n');
    const parts = new Map<string, string>();
    for (const chunk of r.stdout.split(MARK + ' ').slice(1)) {
      const nl = chunk.indexOf('\n');
      parts.set(nl < 0 ? chunk.trim() : chunk.slice(0, nl).trim(), nl < 0 ? '' : chunk.slice(nl + 1));
    }
    const services = parts.has('sysv') ? parseStatusAll(parts.get('sysv') ?? '') : parseSystemdUnits(parts.get('units') ?? '', parts.get('files') ?? '');
    if (Object.keys(services).length === 0) {
      return { changed: false, skipped: true, msg: 'Failed to find any services. This can be due to privileges or some other configuration issue.' };
    }
    return { ansible_facts: { services }, changed: false };
  },
} satisfies ModuleDef;
