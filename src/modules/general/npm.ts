// community.general.npm: a package in a project directory (or global) kept present, latest or
// absent; `npm list --json --long` and `npm outdated` decide, as in the real module.
import { shJoin, shQuote } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

/** Names (and name@version) installed, and the wanted ones missing, from `npm list --json`. */
export function listState(json: string, name: string | null, nameVersion: string | null): { installed: string[]; missing: string[] } | { error: string } {
  let data: { dependencies?: Record<string, { missing?: boolean; invalid?: boolean; version?: string }> };
  try {
    data = JSON.parse(json || '{}');
  } catch (e) {
    return { error: `Failed to parse NPM output with error ${(e as Error).message}` };
  }
  const installed: string[] = [];
  const missing: string[] = [];
  if (!data.dependencies) return { installed, missing: [name as string] };
  for (const [dep, props] of Object.entries(data.dependencies)) {
    if (props.missing || props.invalid) missing.push(dep);
    else {
      installed.push(dep);
      if (props.version) installed.push(`${dep}@${props.version}`);
    }
  }
  if (nameVersion && !installed.includes(nameVersion)) missing.push(name as string);
  return { installed, missing };
}

async function npm(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.name as string | null;
  const path = args.path as string | null;
  const state = args.state as string;
  if (!path && !args.global) return { failed: true, changed: false, msg: 'path must be specified when not using global' };
  if (state === 'absent' && !name) return { failed: true, changed: false, msg: 'uninstalling a package is only available for named packages' };
  const nameVersion = args.version && state !== 'absent' ? `${name}@${args.version as string}` : name;
  let executable = args.executable ? (args.executable as string).split(' ') : null;
  if (!executable) {
    const r = await ctx.conn.exec('command -v npm || { echo "PATH=$PATH"; exit 1; }\n');
    if (r.rc !== 0) return { failed: true, changed: false, msg: `Failed to find required executable "npm" in paths: ${r.stdout.trim().replace(/^PATH=/, '')}` };
    executable = [r.stdout.trim()];
  }
  const exe = executable;
  /** One npm command with the real module's flag order; undefined in check mode unless it only reads. */
  const npmRun = async (sub: string[], opts: { readOnly?: boolean; checkRc?: boolean; addName?: boolean } = {}): Promise<string | ModuleResult> => {
    if (ctx.check && !opts.readOnly) return '';
    const argv = [...exe, ...sub];
    if (args.global) argv.push('--global');
    if (args.production && ['install', 'update', 'ci'].some((w) => argv.includes(w))) argv.push('--production');
    if (args.ignore_scripts) argv.push('--ignore-scripts');
    if (args.unsafe_perm) argv.push('--unsafe-perm');
    if (nameVersion && opts.addName !== false) argv.push(nameVersion);
    if (args.registry) argv.push('--registry', args.registry as string);
    if (args.no_optional) argv.push('--no-optional');
    if (args.no_bin_links) argv.push('--no-bin-links');
    const cd = path ? `mkdir -p -- ${shQuote(path)} 2>/dev/null; [ -d ${shQuote(path)} ] || { echo NOTDIR; exit 0; }; cd ${shQuote(path)} || exit 1\n` : '';
    const r = await ctx.conn.exec(`${cd}${shJoin(argv)}\n`);
    if (/^NOTDIR$/m.test(r.stdout) && r.rc === 0 && path) return { failed: true, changed: false, msg: `path ${path} is not a directory` };
    if (r.rc !== 0 && opts.checkRc !== false) return { failed: true, changed: false, cmd: shJoin(argv), rc: r.rc, stdout: r.stdout, stderr: r.stderr, msg: r.stderr.trimEnd() };
    return r.stdout;
  };
  const list = async (): Promise<{ installed: string[]; missing: string[]; fail?: undefined } | { fail: ModuleResult }> => {
    const out = await npmRun(['list', '--json', '--long'], { readOnly: true, checkRc: false, addName: false });
    if (typeof out !== 'string') return { fail: out };
    const st = listState(out, name, nameVersion);
    return 'error' in st ? { fail: { failed: true, changed: false, msg: st.error } } : st;
  };
  const steps: string[][] = [];
  if (args.ci) steps.push(['ci']);
  else {
    const st = await list();
    if (st.fail) return st.fail;
    if (state === 'present' && st.missing.length) steps.push(['install']);
    else if (state === 'latest') {
      const outdated = await npmRun(['outdated'], { readOnly: true, checkRc: false });
      if (typeof outdated !== 'string') return outdated;
      if (st.missing.length) steps.push(['install']);
      if (outdated.split('\n').some(Boolean)) steps.push(['update']);
    } else if (state === 'absent' && name !== null && st.installed.includes(name)) steps.push(['uninstall']);
  }
  for (const step of steps) {
    const out = await npmRun(step);
    if (typeof out !== 'string') return out;
  }
  return { changed: steps.length > 0 };
}

export const npmModule = {
  name: 'npm',
  fqcns: ['community.general.npm'],
  checkMode: true,
  spec: {
    ci: { type: 'bool', default: false },
    executable: { type: 'path' },
    global: { type: 'bool', default: false },
    ignore_scripts: { type: 'bool', default: false },
    name: { type: 'str' },
    no_bin_links: { type: 'bool', default: false },
    no_optional: { type: 'bool', default: false },
    path: { type: 'path' },
    production: { type: 'bool', default: false },
    registry: { type: 'str' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent', 'latest'] },
    unsafe_perm: { type: 'bool', default: false },
    version: { type: 'str' },
  },
  run: npm,
} satisfies ModuleDef;
