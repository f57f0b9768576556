// ansible.builtin.slurp: read a target file and return it base64-encoded (binary-safe).
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { shQuote } from '../../connection/quote';
import { catchFail } from '../common';

export const slurpSpec = {
  src: { type: 'path', required: true, aliases: ['path'] },
} as const;

async function runSlurp(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const src = args.src as string;
  const q = shQuote(src);
  const r = await ctx.conn.exec(
    `if [ ! -e ${q} ]; then echo ENOENT; elif [ -d ${q} ]; then echo EISDIR; elif [ ! -r ${q} ]; then echo EACCES; else echo OK; base64 -w0 < ${q}; fi\n`,
  );
  const [status, data = ''] = r.stdout.split('\n');
  if (status === 'ENOENT') return { failed: true, msg: `file not found: ${src}` };
  if (status === 'EACCES') return { failed: true, msg: `file is not readable: ${src}` };
  if (status === 'EISDIR') return { failed: true, msg: `source is a directory and must be a file: ${src}` };
  if (status !== 'OK') return { failed: true, msg: `unable to slurp file: ${r.stderr.trim()}` };
  return { changed: false, content: data.trim(), source: src, encoding: 'base64' };
}

export const slurpModule: ModuleDef = { name: 'slurp', spec: slurpSpec, checkMode: true, run: (args, ctx) => catchFail(() => runSlurp(args, ctx)) };
