// How community.general.timezone reads and edits the timezone when timedatectl is not usable:
// /etc/timezone (or /etc/sysconfig/clock), the hwclock setting files, /etc/localtime. Pure.

export type TzKey = 'hwclock' | 'name';

export interface TzDistro {
  nameFile: string;
  nameRegexp: RegExp;
  nameLine: (zone: string) => string;
  hwclockFile: string;
  /** Commands (argv) run after the name file is edited. */
  updateTimezone: (zone: string, tzfile: string, bins: Record<string, string>) => string[][];
}

/** Everything the files method reads from the target, probed in one exec. */
export interface TzFilesState {
  files: Record<string, string | null>;
  localtime: { isLink: boolean; exists: boolean; link?: string; sameAsPlanned: boolean };
}

export const HWCLOCK_RE = /^UTC\s*=\s*([^\s]+)/m;
const ADJTIME_RE = /^(UTC|LOCAL)$/m;
const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't', '1.0'];

/** The distribution-specific files and commands, chosen as the real module chooses them. */
export function tzDistro(kind: 'debian' | 'alpine' | 'gentoo' | 'redhat' | 'suse', localtimeIsLink: boolean, hasTzdataUpdate: boolean): TzDistro {
  const plain = { nameFile: '/etc/timezone', nameRegexp: /^([^\s]+)/m, nameLine: (z: string) => `${z}\n` };
  const cp = (tzfile: string, bins: Record<string, string>): string[] => [bins.cp ?? 'cp', '--remove-destination', tzfile, '/etc/localtime'];
  switch (kind) {
    case 'debian':
      return { ...plain, hwclockFile: '/etc/default/rcS', updateTimezone: (_z, f, b) => [[b.ln ?? 'ln', '-sf', f, '/etc/localtime'], [b['dpkg-reconfigure'] ?? 'dpkg-reconfigure', '--frontend', 'noninteractive', 'tzdata']] };
    case 'alpine':
      return { ...plain, hwclockFile: '/etc/conf.d/hwclock', updateTimezone: (z, _f, b) => [[b['setup-timezone'] ?? 'setup-timezone', '-z', z]] };
    case 'gentoo':
      return { ...plain, hwclockFile: '/etc/conf.d/hwclock', updateTimezone: (_z, f, b) => [cp(f, b)] };
    default: {
      const suse = kind === 'suse';
      return {
        nameFile: '/etc/sysconfig/clock',
        nameRegexp: suse ? /^TIMEZONE\s*=\s*"?([^"\s]+)"?/m : /^ZONE\s*=\s*"?([^"\s]+)"?/m,
        nameLine: (z) => (suse ? `TIMEZONE="${z}"\n` : `ZONE="${z}"\n`),
        hwclockFile: '/etc/sysconfig/clock',
        updateTimezone: (_z, f, b) => [hasTzdataUpdate && !localtimeIsLink ? [b['tzdata-update'] ?? 'tzdata-update'] : cp(f, b)],
      };
    }
  }
}

export class TzAbort extends Error {}

/** A setting read from its file, with the real module's defaults for missing files and values. */
function fromConfig(key: 'hwclock' | 'name' | 'adjtime', phase: string, distro: TzDistro, st: TzFilesState): string {
  const file = key === 'name' ? distro.nameFile : key === 'hwclock' ? distro.hwclockFile : '/etc/adjtime';
  const text = st.files[file] ?? null;
  if (text === null) return key === 'adjtime' ? 'UTC' : 'n/a';
  const re = key === 'name' ? distro.nameRegexp : key === 'hwclock' ? HWCLOCK_RE : ADJTIME_RE;
  const m = re.exec(text);
  if (!m) {
    if (key === 'name' && phase !== 'before') throw new TzAbort(`tried to configure name using a file "${file}", but could not find a valid value in it`);
    return key === 'adjtime' ? 'UTC' : 'n/a';
  }
  const value = m[1] as string;
  if (key === 'hwclock') return TRUE_WORDS.includes(value.toLowerCase()) ? 'UTC' : 'local';
  if (key === 'adjtime') return value === 'UTC' ? value : value.toLowerCase();
  return value;
}

export function filesValue(key: TzKey, planned: string, phase: string, distro: TzDistro, st: TzFilesState): string {
  if (key === 'hwclock') {
    const v = fromConfig('hwclock', phase, distro, st);
    return v === planned ? fromConfig('adjtime', phase, distro, st) : v;
  }
  const v = fromConfig('name', phase, distro, st);
  if (v !== planned) return v;
  const lt = st.localtime;
  if (!lt.isLink) return lt.sameAsPlanned ? v : 'n/a';
  if (!lt.exists) return 'n/a';
  const m = /(?:\/(?:usr\/share|etc)\/zoneinfo\/)(.*)/m.exec(lt.link ?? '');
  if (!m) return 'n/a';
  return m[1] !== planned ? (m[1] as string) : v;
}

/** Replaces the first line matching `re` with `line` (dropping later matches), as the real module's _edit_file. */
export function editConfig(text: string | null, re: RegExp, line: string): { content: string; deleted: number } {
  const lines = text === null ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []);
  const single = new RegExp(re.source);
  const matched = lines.map((l, i) => (single.test(l) ? i : -1)).filter((i) => i >= 0);
  const at = matched[0] ?? 0;
  const kept = lines.filter((_l, i) => !matched.includes(i));
  kept.splice(at, 0, line);
  return { content: kept.join(''), deleted: matched.length };
}
