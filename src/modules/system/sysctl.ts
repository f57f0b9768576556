// The sysctl module (ansible.posix.sysctl): keeps a key in a sysctl file and, optionally,
// in the running kernel; reloads the file with `sysctl -p` when it changed.
import { shQuote } from '../../connection/quote';
import { atomicWrite, ModuleFail, catchFail } from '../common';
import type { ModuleDef } from '../types';
import { runArgv } from './exec';

const TRUE_VALUES = ['yes', 'on', '1', 'true', 't', 'y'];
const FALSE_VALUES = ['no', 'off', '0', 'false', 'f', 'n'];

/** Ansible compares values with booleans folded to 1/0 and whitespace collapsed. */
export function normalizeSysctlValue(value: string | null): string {
  if (value === null) return '';
  const lower = value.trim().toLowerCase();
  if (TRUE_VALUES.includes(lower)) return '1';
  if (FALSE_VALUES.includes(lower)) return '0';
  return value.trim().split(/\s+/).join(' ');
}

/** Sysctl keys may be written with dots or slashes. */
const normalizeKey = (k: string): string => k.trim().replace(/\//g, '.');

/** Rewrites the file the way Ansible does: every setting as key=value, comments kept. */
export function planSysctlFile(text: string, key: string, value: string, present: boolean): { content: string; fileValue?: string } {
  const out: string[] = [];
  let fileValue: string | undefined;
  let found = false;
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';') || !trimmed.includes('=')) {
      out.push(line);
      continue;
    }
    const eq = trimmed.indexOf('=');
    const k = trimmed.slice(0, eq).trim();
    const v = trimmed.slice(eq + 1).trim();
    if (normalizeKey(k) === key) {
      fileValue = v;
      if (present && !found) out.push(`${key}=${value}`);
      found = true;
      continue;
    }
    out.push(`${k}=${v}`);
  }
  if (present && !found) out.push(`${key}=${value}`);
  return { content: out.length ? out.join('\n') + '\n' : '', ...(fileValue !== undefined ? { fileValue } : {}) };
}

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
      const key = normalizeKey(args.name as string);
      const file = args.sysctl_file as string;
      const present = args.state === 'present';
      const value = normalizeSysctlValue(args.value as string | null);
      const probe = await ctx.conn.exec(
        `if [ -f ${shQuote(file)} ]; then echo FILE; cat -- ${shQuote(file)}; else echo NOFILE; fi\n`,
      );
      const [head = '', ...rest] = probe.stdout.split('\n');
      const text = head === 'FILE' ? rest.join('\n') : '';
      const plan = planSysctlFile(text, key, value, present);
      const fileChanged = present ? plan.fileValue === undefined || normalizeSysctlValue(plan.fileValue) !== value : plan.fileValue !== undefined;
      let setLive = false;
      if (args.sysctl_set && present) {
        const live = await runArgv(ctx.conn, ['sysctl', '-e', '-n', key]);
        setLive = live.rc !== 0 || normalizeSysctlValue(live.stdout) !== value;
      }
      const changed = fileChanged || setLive;
      if (!changed || ctx.check) return { changed };
      if (fileChanged) await atomicWrite(ctx.conn, { dest: file, content: plan.content });
      if (setLive) {
        const r = await runArgv(ctx.conn, ['sysctl', '-w', `${key}=${value}`]);
        if (r.rc !== 0 || r.stderr) throw new ModuleFail(`setting ${key} failed: ${r.stdout}${r.stderr}`);
      }
      if (args.reload) {
        const r = await runArgv(ctx.conn, ['sysctl', ...(args.ignoreerrors ? ['-e'] : []), '-p', file]);
        if (r.rc !== 0 || (r.stderr && !args.ignoreerrors)) throw new ModuleFail(`Failed to reload sysctl: ${r.stdout}${r.stderr}`);
      }
      return { changed: true };
    }).then((r) => (r.failed ? { changed: false, ...r } : r)),
} satisfies ModuleDef;
