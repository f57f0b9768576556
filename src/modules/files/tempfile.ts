// ansible.builtin.tempfile: mktemp on the target (file or directory, prefix/suffix/path).
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { shJoin } from '../../connection/quote';
import { addPathInfo } from '../common';

export const tempfileSpec = {
  path: { type: 'path' },
  prefix: { type: 'str', default: 'ansible.' },
  state: { type: 'str', default: 'file', choices: ['directory', 'file'] },
  suffix: { type: 'str', default: '' },
} as const;

async function runTempfile(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const dir = (args.path as string | null) ?? null;
  const template = `${args.prefix as string}XXXXXXXX${args.suffix as string}`;
  const argv = ['mktemp', ...(args.state === 'directory' ? ['-d'] : []), ...(args.suffix ? [`--suffix=${args.suffix as string}`] : [])];
  const tmpl = `${args.prefix as string}XXXXXXXX`;
  argv.push(dir ? `${dir.replace(/\/$/, '')}/${tmpl}` : `${'${TMPDIR:-/tmp}'}/${tmpl}`);
  // TMPDIR must stay unquoted to expand; everything else is quoted
  const cmd = dir ? shJoin(argv) : shJoin(argv.slice(0, -1)) + ` "\${TMPDIR:-/tmp}"/${shJoin([tmpl])}`;
  void template;
  const r = await ctx.conn.exec(cmd + '\n');
  if (r.rc !== 0) {
    const err = r.stderr.trim();
    if (/No such file or directory/.test(err)) return { failed: true, msg: `[Errno 2] No such file or directory: '${dir ?? ''}/${tmpl}${args.suffix as string}'` };
    return { failed: true, msg: err };
  }
  return addPathInfo(ctx.conn, { changed: true, path: r.stdout.trim() });
}

export const tempfileModule: ModuleDef = { name: 'tempfile', spec: tempfileSpec, checkMode: false, run: runTempfile };
