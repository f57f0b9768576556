// community.general.locale_gen: enables (or comments out) a locale in /etc/locale.gen and runs
// locale-gen; Ubuntu's /var/lib/locales/supported.d scheme as the real module handles it.
import { shQuote } from '../../connection/quote';
import { atomicWrite } from '../common';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

const NORMALIZE: [string, string][] = [
  ['.utf8', '.UTF-8'], ['.eucjp', '.EUC-JP'], ['.iso885915', '.ISO-8859-15'], ['.cp1251', '.CP1251'], ['.koi8r', '.KOI8-R'],
  ['.armscii8', '.ARMSCII-8'], ['.euckr', '.EUC-KR'], ['.gbk', '.GBK'], ['.gb18030', '.GB18030'], ['.euctw', '.EUC-TW'],
];

/** `locale -a` may spell the charset in lower case; compare in one spelling. */
export function fixCase(name: string): string {
  return NORMALIZE.reduce((n, [from, to]) => n.split(from).join(to), name);
}

/** Is the locale listed (commented or not) in locale.gen, or in Ubuntu's SUPPORTED list? */
export function isAvailable(text: string, name: string, ubuntu: boolean): boolean {
  const re = ubuntu ? /^(\S+_\S+) (\S+)\s*$/ : /^#?\s*(\S+_\S+) (\S+)\s*$/;
  return text.split('\n').some((line) => re.exec(line)?.[1] === name);
}

/** Uncomments (or comments out) the locale's lines, the name used as a pattern as the real module does. */
export function setLocaleLines(text: string, name: string, enabled: boolean): string {
  const re = new RegExp(`#?\\s*${name} (.+)`);
  return text.split(/(?<=\n)/).map((line) => line.replace(re, (_m, charset: string) => `${enabled ? '' : '# '}${name} ${charset}`)).join('');
}

async function localeGen(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.name as string;
  const state = args.state as string;
  const probe = await ctx.conn.exec(
    [
      `if [ -e /var/lib/locales/supported.d/ ]; then echo UBUNTU; _l=/usr/share/i18n/SUPPORTED; elif [ -e /etc/locale.gen ]; then _l=/etc/locale.gen; else echo MISSING; exit 0; fi`,
      `printf 'LIST %s\\n' "$(base64 -w0 < "$_l")"`,
      `[ -f /var/lib/locales/supported.d/local ] && printf 'LOCAL %s\\n' "$(base64 -w0 < /var/lib/locales/supported.d/local)"`,
      `printf 'PRESENT %s\\n' "$(locale -a 2>/dev/null | base64 -w0)"`,
    ].join('\n') + '\n',
  );
  const field = (tag: string): string | undefined => {
    const m = new RegExp(`^${tag} (.*)$`, 'm').exec(probe.stdout);
    return m ? Buffer.from(m[1] ?? '', 'base64').toString('utf8') : undefined;
  };
  if (/^MISSING$/m.test(probe.stdout)) {
    return { failed: true, changed: false, msg: '/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package "locales" installed?' };
  }
  const ubuntu = /^UBUNTU$/m.test(probe.stdout);
  const list = field('LIST') ?? '';
  if (!isAvailable(list, name, ubuntu)) return { failed: true, changed: false, msg: "The locale you've entered is not available on your system." };
  const present = (field('PRESENT') ?? '').split('\n').some((l) => fixCase(l) === fixCase(name));
  const changed = (present ? 'present' : 'absent') !== state;
  if (ctx.check) return { changed };
  if (changed) {
    let command: string;
    if (!ubuntu) {
      await atomicWrite(ctx.conn, { dest: '/etc/locale.gen', content: setLocaleLines(list, name, state === 'present') });
      command = 'locale-gen';
    } else if (state === 'present') command = `locale-gen ${shQuote(name)}`;
    else {
      const local = (field('LOCAL') ?? '').split(/(?<=\n)/).filter((l) => l && l.split(' ')[0] !== name).join('');
      await atomicWrite(ctx.conn, { dest: '/var/lib/locales/supported.d/local', content: local });
      command = 'locale-gen --purge';
    }
    const r = await ctx.conn.exec(command + '\n');
    if (r.rc !== 0) return { failed: true, changed: false, msg: `[Errno ${r.rc}] locale.gen failed to execute, it returned ${r.rc}`, exitValue: r.rc };
  }
  return { name, changed, msg: 'OK' };
}

export const localeGenModule = {
  name: 'locale_gen',
  fqcns: ['community.general.locale_gen'],
  checkMode: true,
  spec: {
    name: { type: 'str', required: true },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  },
  run: localeGen,
} satisfies ModuleDef;
