// community.general.timezone: the zone and the hardware clock mode, through timedatectl where
// it works (systemd hosts) and through the distribution's files otherwise, as the real module.
import { shJoin, shQuote } from '../../connection/quote';
import { pyRepr } from '../../template/pyvalues';
import { atomicWrite } from '../common';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { editConfig, filesValue, HWCLOCK_RE, TzAbort, tzDistro, type TzDistro, type TzFilesState, type TzKey } from './timezone-files';

const KEYS: TzKey[] = ['hwclock', 'name']; // the real module's argument order
const FILES = ['/etc/timezone', '/etc/default/rcS', '/etc/adjtime', '/etc/sysconfig/clock', '/etc/conf.d/hwclock'];
const BINS = ['timedatectl', 'hwclock', 'dpkg-reconfigure', 'ln', 'cp', 'tzdata-update', 'setup-timezone'];

interface TzProbe {
  systemdStatus?: string;
  bins: Record<string, string>;
  distro: 'debian' | 'alpine' | 'gentoo' | 'redhat' | 'suse';
  state: TzFilesState;
  zoneFileExists: boolean;
  path: string;
}

async function probe(ctx: ModuleContext, zone: string | undefined): Promise<TzProbe> {
  const zonefile = `/usr/share/zoneinfo/${zone ?? ''}`;
  const lines = [
    ...BINS.map((b) => `_b=$(command -v ${b} 2>/dev/null) && printf 'BIN ${b} %s\\n' "$_b"`),
    `if command -v timedatectl >/dev/null 2>&1 && timedatectl >/dev/null 2>&1; then echo SYSTEMD; LC_ALL=C timedatectl status | sed 's/^/TD /'; fi`,
    ...FILES.map((f) => `[ -f ${f} ] && printf 'FILE ${f} %s\\n' "$(base64 -w0 < ${f})"`),
    `[ -L /etc/localtime ] && printf 'LINK %s\\n' "$(readlink /etc/localtime | base64 -w0)"`,
    `[ -e /etc/localtime ] && echo LTEXISTS`,
    zone !== undefined ? `[ -f ${shQuote(zonefile)} ] && echo ZONEFILE; cmp -s /etc/localtime ${shQuote(zonefile)} && echo SAMEZONE` : '',
    `[ -f /etc/alpine-release ] && echo DISTRO alpine; [ -f /etc/gentoo-release ] && echo DISTRO gentoo; [ -f /etc/SuSE-release ] || grep -qi suse /etc/os-release 2>/dev/null && echo DISTRO suse`,
    `echo "PATH=$PATH"; exit 0`,
  ];
  const r = await ctx.conn.exec(lines.filter(Boolean).join('\n') + '\n');
  const out = r.stdout.split('\n');
  const bins: Record<string, string> = {};
  const files: Record<string, string | null> = {};
  let link: string | undefined;
  for (const l of out) {
    const [tag, a = '', b = ''] = l.split(' ');
    if (tag === 'BIN') bins[a] = l.slice(5 + a.length);
    else if (tag === 'FILE') files[a] = Buffer.from(b, 'base64').toString('utf8');
    else if (tag === 'LINK') link = Buffer.from(a, 'base64').toString('utf8');
  }
  const distroLine = out.find((l) => l.startsWith('DISTRO '))?.slice(7);
  return {
    ...(out.includes('SYSTEMD') ? { systemdStatus: out.filter((l) => l.startsWith('TD ')).map((l) => l.slice(3)).join('\n') } : {}),
    bins,
    distro: bins['dpkg-reconfigure'] ? 'debian' : ((distroLine as TzProbe['distro'] | undefined) ?? 'redhat'),
    state: { files, localtime: { isLink: link !== undefined, exists: out.includes('LTEXISTS'), ...(link !== undefined ? { link } : {}), sameAsPlanned: out.includes('SAMEZONE') } },
    zoneFileExists: out.includes('ZONEFILE'),
    path: out.find((l) => l.startsWith('PATH='))?.slice(5) ?? '',
  };
}

/** One method (timedatectl or files) with the real module's get and set. */
interface TzMethod {
  get(key: TzKey, planned: string, phase: string, p: TzProbe): string;
  set(key: TzKey, value: string, p: TzProbe, log: string[]): Promise<void>;
}

async function run(ctx: ModuleContext, argv: string[]): Promise<void> {
  const r = await ctx.conn.exec(shJoin(argv) + '\n', { env: { LC_ALL: 'C' } });
  if (r.rc !== 0) throw Object.assign(new TzAbort(r.stderr.trim() || r.stdout.trim()), { cmd: argv.join(' '), rc: r.rc, stdout: r.stdout, stderr: r.stderr });
}

function systemdMethod(ctx: ModuleContext): TzMethod {
  return {
    get(key, _planned, _phase, p) {
      const re = key === 'hwclock' ? /^\s*RTC in local TZ\s*:\s*([^\s]+)/m : /^\s*Time ?zone\s*:\s*([^\s]+)/m;
      const v = re.exec(p.systemdStatus ?? '')?.[1] ?? '';
      if (key === 'name') return v;
      return ['yes', 'true', 'on', '1', 'y', 't'].includes(v.toLowerCase()) ? 'local' : 'UTC';
    },
    async set(key, value, p, log) {
      const argv = [p.bins.timedatectl ?? 'timedatectl', key === 'name' ? 'set-timezone' : 'set-local-rtc', key === 'name' ? value : value === 'local' ? 'yes' : 'no'];
      await run(ctx, argv);
      log.push(`executed \`${argv.join(' ')}\``);
    },
  };
}

function filesMethod(ctx: ModuleContext, distro: TzDistro): TzMethod {
  const edit = async (p: TzProbe, file: string, re: RegExp, line: string, log: string[]): Promise<void> => {
    const { content, deleted } = editConfig(p.state.files[file] ?? null, re, line);
    await atomicWrite(ctx.conn, { dest: file, content });
    log.push(`Added 1 line and deleted ${deleted} line(s) on ${file}`);
  };
  return {
    get: (key, planned, phase, p) => filesValue(key, planned, phase, distro, p.state),
    async set(key, value, p, log) {
      if (key === 'name') {
        await edit(p, distro.nameFile, distro.nameRegexp, distro.nameLine(value), log);
        for (const argv of distro.updateTimezone(value, `/usr/share/zoneinfo/${value}`, p.bins)) await run(ctx, argv);
        return;
      }
      await edit(p, distro.hwclockFile, HWCLOCK_RE, `UTC=${value === 'local' ? 'no' : 'yes'}\n`, log);
      const argv = [p.bins.hwclock ?? 'hwclock', '--systohc', value === 'local' ? '--localtime' : '--utc'];
      await run(ctx, argv);
      log.push(`executed \`${argv.join(' ')}\``);
    },
  };
}

async function timezone(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const planned = new Map<TzKey, string>();
  for (const k of KEYS) if (args[k] !== null) planned.set(k, args[k] as string);
  const zone = planned.get('name');
  const log: string[] = [];
  const abort = (msg: string, extra: Record<string, unknown> = {}): ModuleResult => ({
    failed: true, changed: false, msg: ['Error message:', msg, ...(log.length ? ['Other message(s):', ...log] : [])].join('\n'), ...extra,
  });
  let p = await probe(ctx, zone);
  if (zone !== undefined && !p.zoneFileExists) return abort(`given timezone "${zone}" is not available`);
  let method: TzMethod;
  if (p.systemdStatus !== undefined) method = systemdMethod(ctx);
  else {
    for (const bin of ['hwclock', ...(zone !== undefined && p.distro !== 'debian' ? ['cp'] : [])]) {
      if (!p.bins[bin]) return { failed: true, changed: false, msg: `Failed to find required executable "${bin}" in paths: ${p.path}` };
    }
    method = filesMethod(ctx, tzDistro(p.distro, p.state.localtime.isLink, Boolean(p.bins['tzdata-update'])));
  }
  try {
    const values = (phase: string, pr: TzProbe): Record<string, string> =>
      Object.fromEntries([...planned].map(([k, v]) => [k, method.get(k, v, phase, pr)]));
    const before = values('before', p);
    const wanted = Object.fromEntries(planned);
    if (ctx.check) return finish(before, wanted, log);
    for (const [k, v] of planned) if (before[k] !== v) await method.set(k, v, p, log);
    p = await probe(ctx, zone);
    const after = values('after', p);
    if (JSON.stringify(after) !== JSON.stringify(wanted)) return abort(`still not desired state, though changes have made - planned: ${pyRepr(wanted)}, after: ${pyRepr(after)}`);
    return finish(before, after, log);
  } catch (e) {
    if (!(e instanceof TzAbort)) throw e;
    const { cmd, rc, stdout, stderr } = e as TzAbort & Record<string, unknown>;
    return cmd === undefined ? abort(e.message) : { failed: true, changed: false, msg: e.message, cmd, rc, stdout, stderr };
  }
}

function finish(before: Record<string, string>, after: Record<string, string>, log: string[]): ModuleResult {
  const changed = JSON.stringify(before) !== JSON.stringify(after);
  return { changed, diff: { before, after }, ...(log.length ? { msg: log.join('\n') } : {}) };
}

export const timezoneModule = {
  name: 'timezone',
  fqcns: ['community.general.timezone'],
  checkMode: true,
  spec: {
    hwclock: { type: 'str', choices: ['local', 'UTC'], aliases: ['rtc'] },
    name: { type: 'str' },
  },
  constraints: { requiredOneOf: [['hwclock', 'name']] },
  run: timezone,
} satisfies ModuleDef;
