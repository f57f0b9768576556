// The mount module (ansible.posix.mount): keeps an fstab entry and the live mount of a path
// (mounted/unmounted/remounted/ephemeral), probing fstab and /proc/mounts in one exec.
import { shJoin, shQuote } from '../../connection/quote';
import { catchFail, ModuleFail, runSteps, stdinWriteScript } from '../common';
import type { Step, StepResult } from '../common';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

const escapeField = (s: string): string => s.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/\t/g, '\\011').replace(/\n/g, '\\012');
const unescapeField = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export interface FstabEntry {
  src: string;
  path: string;
  fstype: string;
  opts: string;
  dump: string;
  passno: string;
}

/** Returns the new fstab text and whether it differs; `entry` undefined removes the path. */
export function planFstab(text: string, path: string, entry: FstabEntry | undefined): { content: string; changed: boolean } {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let found = false;
  let changed = false;
  const wanted = entry ? [entry.src, entry.path, entry.fstype, entry.opts, entry.dump, entry.passno].map(escapeField).join(' ') : undefined;
  for (const line of lines) {
    const fields = line.trim().split(/\s+/);
    if (line.trim() === '' || line.trim().startsWith('#') || fields.length < 2 || unescapeField(fields[1] ?? '') !== path) {
      out.push(line);
      continue;
    }
    if (!entry || found) {
      changed = true; // removing, or a duplicate entry for the same path
      continue;
    }
    found = true;
    const [src = '', , fstype = '', opts = 'defaults', dump = '0', passno = '0'] = fields.map(unescapeField);
    if (src === entry.src && fstype === entry.fstype && opts === entry.opts && dump === entry.dump && passno === entry.passno) out.push(line);
    else {
      out.push(wanted as string);
      changed = true;
    }
  }
  if (entry && !found) {
    out.push(wanted as string);
    changed = true;
  }
  return { content: out.length ? out.join('\n') + '\n' : '', changed };
}

async function probe(ctx: ModuleContext, fstab: string, path: string, createFstab: boolean): Promise<{ fstabText: string; mounted: boolean; dirExists: boolean }> {
  const fstabDir = fstab.replace(/\/[^/]*$/, '') || '/';
  // Ansible creates a missing fstab (empty) before anything else, even in check mode.
  const create = createFstab ? `[ -e ${shQuote(fstab)} ] || { mkdir -p -- ${shQuote(fstabDir)} && : >> ${shQuote(fstab)}; }` : ':';
  const r = await ctx.conn.exec(
    [
      create,
      `if [ -f ${shQuote(fstab)} ]; then cat -- ${shQuote(fstab)}; fi`,
      `echo '@@TSIBLE_MOUNT@@'`,
      `awk '{print $2}' /proc/mounts 2>/dev/null`,
      `echo '@@TSIBLE_MOUNT@@'`,
      `[ -d ${shQuote(path)} ] && echo DIR`,
      'exit 0',
    ].join('\n') + '\n',
  );
  const [fstabText = '', mounts = '', dir = ''] = r.stdout.split('@@TSIBLE_MOUNT@@\n');
  return { fstabText, mounted: mounts.split('\n').map(unescapeField).includes(path), dirExists: dir.trim() === 'DIR' };
}

/** A command step failing the task with "Error <what>: <output>". */
function sh(argv: string[], what: string): MountStep {
  return { script: shJoin(argv), fail: (r) => (r.rc !== 0 ? `Error ${what}: ${r.stdout}${r.stderr}`.trimEnd() : null) };
}

type MountStep = Step & { fail: (r: StepResult) => string | null };

async function run(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const path = (args.path as string).replace(/(.)\/+$/, '$1');
  const state = args.state as string;
  const fstab = (args.fstab as string | null) ?? '/etc/fstab';
  let opts = (args.opts as string | null) ?? 'defaults';
  const warnings: string[] = [];
  let boot = 'yes';
  // boot=false means "noauto", except when opts already says noauto or keeps defaults (Ansible warns then).
  if (opts.split(',').includes('noauto')) warnings.push("Ignore the 'boot' due to 'opts' contains 'noauto'.");
  else if (args.boot === false) {
    boot = 'no';
    if (opts.split(',').includes('defaults')) warnings.push("Ignore the 'boot' due to 'opts' contains 'defaults'.");
    else opts = `${opts},noauto`;
  }
  const result: ModuleResult = { backup_file: '', boot, changed: false, dump: args.dump, fstab, name: path, opts, passno: args.passno };
  if (warnings.length) result.warnings = warnings;
  if (args.src !== null) result.src = args.src;
  if (args.fstype !== null) result.fstype = args.fstype;
  const p = await probe(ctx, fstab, path, state !== 'ephemeral');
  const entry: FstabEntry | undefined = ['absent', 'absent_from_fstab'].includes(state)
    ? undefined
    : { src: (args.src as string | null) ?? '', path, fstype: (args.fstype as string | null) ?? '', opts, dump: String(args.dump), passno: String(args.passno) };
  const fstabPlan = state === 'ephemeral' || state === 'unmounted' || state === 'remounted' ? { content: p.fstabText, changed: false } : planFstab(p.fstabText, path, entry);
  const customFstab = fstab !== '/etc/fstab' ? ['-T', fstab] : [];
  let changed = fstabPlan.changed;
  // every action of the plan in one exec, stopping at the first failure
  const actions: MountStep[] = [];
  if (fstabPlan.changed) {
    actions.push({ script: stdinWriteScript({ dest: fstab }), fail: (r) => (r.rc !== 0 ? `Could not replace file: ${fstab}: ${r.stderr.trim()}` : null) });
  }
  if (state === 'mounted' || state === 'ephemeral') {
    if (!p.dirExists) actions.push(sh(['mkdir', '-p', path], `making directory ${path}`));
    if (!p.mounted) {
      changed = true;
      const argv = state === 'ephemeral'
        ? ['mount', '-t', args.fstype as string, '-o', opts, args.src as string, path]
        : ['mount', ...customFstab, path];
      actions.push(sh(argv, 'mounting ' + path));
    } else if (fstabPlan.changed) {
      actions.push(sh(['mount', '-o', 'remount', ...customFstab, path], 'remounting ' + path));
    }
  } else if (state === 'unmounted' || state === 'absent') {
    if (p.mounted) {
      changed = true;
      actions.push(sh(['umount', path], 'unmounting ' + path));
    }
    if (state === 'absent' && p.dirExists) {
      actions.push({ script: `rmdir -- ${shQuote(path)} 2>/dev/null; true`, fail: () => null });
    }
  } else if (state === 'remounted') {
    changed = true;
    actions.push(sh(['mount', '-o', 'remount', ...customFstab, path], 'remounting ' + path));
  }
  if (state === 'absent' && p.dirExists && !changed) changed = false;
  result.changed = changed;
  if (ctx.check) return result;
  const results = await runSteps(ctx.conn, actions, fstabPlan.changed ? { stdin: fstabPlan.content } : {});
  results.forEach((r, i) => {
    const msg = actions[i]?.fail(r);
    if (msg) throw new ModuleFail(msg);
  });
  return result;
}

export const mountModule = {
  name: 'mount',
  fqcns: ['ansible.posix.mount'],
  checkMode: true,
  spec: {
    backup: { type: 'bool', default: false },
    boot: { type: 'bool', default: true },
    dump: { type: 'str', default: '0' },
    fstab: { type: 'str' },
    fstype: { type: 'str' },
    opts: { type: 'str' },
    passno: { type: 'str', default: '0' },
    path: { type: 'path', required: true, aliases: ['name'] },
    src: { type: 'path' },
    state: { type: 'str', required: true, choices: ['absent', 'absent_from_fstab', 'mounted', 'present', 'unmounted', 'remounted', 'ephemeral'] },
  },
  constraints: {
    requiredIf: [
      ['state', 'mounted', ['src', 'fstype']],
      ['state', 'present', ['src', 'fstype']],
      ['state', 'ephemeral', ['src', 'fstype']],
    ],
  },
  run: (args, ctx) => catchFail(() => run(args, ctx)).then((r) => (r.failed ? { changed: false, ...r } : r)),
} satisfies ModuleDef;
