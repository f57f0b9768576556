// community.general.make: runs a make target in a directory; `make -q` decides whether it is
// up to date (unchanged) first, so check mode and idempotence come from make itself.
import { shJoin, shQuote } from '../../connection/quote';
import { pyStr } from '../../template/pyvalues';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';

/** Python's splitlines() of the stripped output, as Ansible adds *_lines. */
const lines = (s: string): string[] => (trimNewlines(s) === '' ? [] : trimNewlines(s).split(/\r?\n/));
const trimNewlines = (s: string): string => s.replace(/[\r\n]+$/, '');

async function make(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const chdir = args.chdir as string;
  let makePath = args.make as string | null;
  if (makePath === null) {
    const r = await ctx.conn.exec('command -v gmake || command -v make || { echo "PATH=$PATH"; exit 1; }\n');
    if (r.rc !== 0) return { failed: true, changed: false, msg: `Failed to find required executable "make" in paths: ${r.stdout.trim().replace(/^PATH=/, '')}` };
    makePath = r.stdout.trim().split('\n')[0] as string;
  }
  const params = args.params as Record<string, unknown> | null;
  const base = [
    makePath,
    ...(args.jobs !== null ? ['-j', String(args.jobs)] : []),
    ...(args.file !== null ? ['-f', args.file as string] : []),
    ...(args.target === null ? [] : [args.target as string]),
    ...Object.entries(params ?? {}).map(([k, v]) => `${k}=${pyStr(v)}`),
  ];
  // the real module's command string quotes a missing target as ''
  const command = shJoin(args.target === null ? [...base.slice(0, base.length - Object.keys(params ?? {}).length), '', ...base.slice(base.length - Object.keys(params ?? {}).length)] : base);
  const inDir = (argv: string[]): string => `cd ${shQuote(chdir)} || exit 1\n${shJoin(argv)}\n`;
  let r = await ctx.conn.exec(inDir([...base, '-q']));
  let changed = r.rc !== 0;
  if (!ctx.check && changed) {
    r = await ctx.conn.exec(inDir(base));
    if (r.rc !== 0) return { failed: true, changed: false, cmd: shJoin(base), rc: r.rc, stdout: r.stdout, stderr: r.stderr, stdout_lines: lines(r.stdout), stderr_lines: lines(r.stderr), msg: r.stderr.trimEnd() };
  } else if (!ctx.check) changed = false;
  return {
    changed, failed: false, stdout: trimNewlines(r.stdout), stderr: trimNewlines(r.stderr),
    stdout_lines: lines(r.stdout), stderr_lines: lines(r.stderr),
    target: args.target, params, chdir, file: args.file, jobs: args.jobs, command,
  };
}

export const makeModule = {
  name: 'make',
  fqcns: ['community.general.make'],
  checkMode: true,
  spec: {
    chdir: { type: 'path', required: true },
    file: { type: 'path' },
    jobs: { type: 'int' },
    make: { type: 'path' },
    params: { type: 'dict' },
    target: { type: 'str' },
  },
  run: make,
} satisfies ModuleDef;
