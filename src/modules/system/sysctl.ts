// The sysctl module (ansible.posix.sysctl): keeps a key in a sysctl file and, optionally,
// in the running kernel; reloads the file with `sysctl -p` when it changed.
import { shQuote } from '../../connection/quote';
import { atomicWrite, ModuleFail, catchFail } from '../common';
import type { ModuleDef } from '../types';
import { runArgv } from './exec';

const TRUE_VALUES = ['yes', 'on', '1', 'true', 't', 'y', '1.0'];
const FALSE_VALUES = ['no', 'off', '0', 'false', 'f', 'n', '0.0'];

/** The value as Ansible writes it: booleans folded to 1/0, otherwise only stripped. */
export function normalizeSysctlValue(value: string | null): string {
  if (value === null) return '';
  const lower = value.toLowerCase();
  if (TRUE_VALUES.includes(lower)) return '1';
  if (FALSE_VALUES.includes(lower)) return '0';
  return value.trim();
}

/** Live and wanted values are equal when their whitespace-separated words are. */
const sameWords = (a: string | null, b: string): boolean => a !== null && a.split(/\s+/).filter(Boolean).join(' ') === b.split(/\s+/).filter(Boolean).join(' ');

/**
 * Rewrites the file the way Ansible does: every line stripped, settings as key=value,
 * the first line of the key replaced (or dropped when absent), later duplicates dropped.
 * fileValue is the value of the LAST line for the key, as Ansible reads it.
 */
export function planSysctlFile(text: string, key: string, value: string, present: boolean): { content: string; fileValue?: string } {
  const out: string[] = [];
  let fileValue: string | undefined;
  const seen = new Set<string>();
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';') || !trimmed.includes('=')) {
      out.push(trimmed);
      continue;
    }
    const eq = trimmed.indexOf('=');
    const k = trimmed.slice(0, eq).trim();
    const v = trimmed.slice(eq + 1).trim();
    if (k === key) fileValue = v;
    if (seen.has(k)) continue;
    seen.add(k);
    if (k !== key) out.push(`${k}=${v}`);
    else if (present) out.push(`${key}=${value}`);
  }
  if (present && !seen.has(key)) out.push(`${key}=${value}`);
  return { content: out.length ? out.join('\n') + '\n' : '', ...(fileValue !== undefined ? { fileValue } : {}) };
}

/** sysctl may exit 0 and still fail to set a value; Ansible only trusts these stderr lines. */
const stderrFailed = (err: string): boolean => /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m.test(err);

export const sysctlModule = {
  name: 'sysctl',
  fqcns: ['ansible.posix.sysctl'],
  checkMode: true,
  spec: {
    ignoreerrors: { type: 'bool', default: false },
    name: { type: 'str', required: true, aliases: ['key'] },
    reload: { type: 'bool', default: true },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
    sysctl_file: { type: 'path', default: '/etc/sysctl.conf' },
    sysctl_set: { type: 'bool', default: false },
    value: { type: 'str', aliases: ['val'] },
  },
  constraints: { requiredIf: [['state', 'present', ['value']]] },
  run: (args, ctx) =>
    catchFail(async () => {
      const key = (args.name as string).trim();
      const file = args.sysctl_file as string;
      const present = args.state === 'present';
      const value = normalizeSysctlValue(args.value as string | null);
      const ignore = args.ignoreerrors ? ['-e'] : [];
      // One probe: the file (if any), then the live value (rc of `sysctl -e -n` decides None).
      const probe = await ctx.conn.exec(
        [
          `if [ -f ${shQuote(file)} ]; then echo FILE; cat -- ${shQuote(file)}; else echo NOFILE; fi`,
          `echo '@@TSIBLE_SYSCTL@@'`,
          `LANG=C LC_ALL=C sysctl -e -n ${shQuote(key)} 2>/dev/null; echo "@@TSIBLE_SYSCTL@@$?"`,
        ].join('\n') + '\n',
      );
      const [filePart = '', livePart = ''] = probe.stdout.split('@@TSIBLE_SYSCTL@@\n');
      const [head = '', ...rest] = filePart.split('\n');
      const text = head === 'FILE' ? rest.join('\n') : '';
      const liveMatch = /^([\s\S]*)@@TSIBLE_SYSCTL@@(\d+)\s*$/.exec(livePart);
      const liveValue = liveMatch && liveMatch[2] === '0' ? (liveMatch[1] ?? '') : null;
      const plan = planSysctlFile(text, key, value, present);
      const fileValue = plan.fileValue ?? null;
      let changed = false;
      let writeFile = false;
      let setLive = false;
      if (fileValue === null) {
        if (present) changed = writeFile = true;
      } else if (fileValue && !present) changed = writeFile = true;
      else if (fileValue !== value) changed = writeFile = true;
      else if (args.reload && !sameWords(liveValue, value)) changed = true;
      if (args.sysctl_set && present) {
        if (liveValue === null) changed = true;
        else if (!sameWords(liveValue, value)) changed = setLive = true;
      }
      if (!changed || ctx.check) return { changed };
      if (setLive) {
        const r = await runArgv(ctx.conn, ['env', 'LANG=C', 'LC_ALL=C', 'sysctl', ...ignore, '-w', `${key}=${value}`]);
        if (r.rc !== 0 || stderrFailed(r.stderr)) throw new ModuleFail(`setting ${key} failed: ${r.stdout}${r.stderr}`);
      }
      if (writeFile) await atomicWrite(ctx.conn, { dest: file, content: plan.content });
      if (args.reload) {
        const r = await runArgv(ctx.conn, ['env', 'LANG=C', 'LC_ALL=C', 'sysctl', ...ignore, '-p', file]);
        if (r.rc !== 0 || stderrFailed(r.stderr)) throw new ModuleFail(`Failed to reload sysctl: ${r.stdout}${r.stderr}`);
      }
      return { changed: true };
    }).then((r) => (r.failed ? { changed: false, ...r } : r)),
} satisfies ModuleDef;
