// The sysctl module (ansible.posix.sysctl): keeps a key in a sysctl file and, optionally,
// in the running kernel; reloads the file with `sysctl -p` when it changed.
import { shJoin, shQuote } from '../../connection/quote';
import { catchFail, ModuleFail, runSteps, stdinWriteScript } from '../common';
import type { Step, StepResult } from '../common';
import type { ModuleDef } from '../types';

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
/**
 * sysctl(8) as one step: its stdout and stderr pass through, and a "setting key" error on
 * stderr fails the step even with rc 0 (so the next steps do not run), as stderrFailed says.
 */
function sysctlStep(ignore: string[], ...args: string[]): string {
  const cmd = shJoin(['env', 'LANG=C', 'LC_ALL=C', 'sysctl', ...ignore, ...args]);
  return (
    // stderr captured whole (a marker keeps its trailing newlines), stdout straight through
    `{ _e=$( { ${cmd}; } 2>&1 1>&3; printf 'x%s' "$?" ); } 3>&1; _rc=\${_e##*x}; _e=\${_e%x*}; printf '%s' "$_e" >&2; [ "$_rc" = 0 ] || exit "$_rc"\n` +
    `case "$_e" in *'sysctl: setting key "'*'": Invalid argument'*|*'sysctl: setting key "'*'": Read-only file system'*) exit 1 ;; esac`
  );
}

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
      // the live value, the file and the reload in one exec, stopping at the first failure
      const steps: (Step & { fail: (r: StepResult) => string | null })[] = [];
      const failed = (r: StepResult) => r.rc !== 0 || stderrFailed(r.stderr);
      if (setLive) steps.push({ script: sysctlStep(ignore, '-w', `${key}=${value}`), fail: (r) => (failed(r) ? `setting ${key} failed: ${r.stdout}${r.stderr}` : null) });
      if (writeFile) steps.push({ script: stdinWriteScript({ dest: file }), fail: (r) => (r.rc !== 0 ? `Could not replace file: ${file}: ${r.stderr.trim()}` : null) });
      if (args.reload) steps.push({ script: sysctlStep(ignore, '-p', file), fail: (r) => (failed(r) ? `Failed to reload sysctl: ${r.stdout}${r.stderr}` : null) });
      const results = await runSteps(ctx.conn, steps, writeFile ? { stdin: plan.content } : {});
      for (let i = 0; i < results.length; i++) {
        const msg = steps[i]?.fail(results[i] as StepResult);
        if (msg) throw new ModuleFail(msg);
      }
      return { changed: true };
    }).then((r) => (r.failed ? { changed: false, ...r } : r)),
} satisfies ModuleDef;
