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
  // open()'s errno, found with tests: a missing path is ENOENT unless a parent on the way is no
  // directory (ENOTDIR) or cannot be searched (EACCES)
  const r = await ctx.conn.exec(
    `p=${q}; if [ ! -e "$p" ]; then c=/; s=ENOENT; rest=\${p#/}; while [ -n "$rest" ]; do part=\${rest%%/*}; ` +
      `[ "$rest" = "\${rest#*/}" ] && break; rest=\${rest#*/}; [ -e "$c" ] || break; [ -d "$c" ] || { s=ENOTDIR; break; }; [ -x "$c" ] || { s=EACCES; break; }; ` +
      `c=\${c%/}/$part; done; if [ "$s" = ENOENT ] && [ -e "$c" ]; then if [ ! -d "$c" ]; then s=ENOTDIR; elif [ ! -x "$c" ]; then s=EACCES; fi; fi; echo $s; ` +
      `elif [ ! -r "$p" ]; then echo EACCES; elif [ -d "$p" ]; then echo EISDIR; else echo OK; base64 -w0 < "$p"; fi\n`,
  );
  const [status, data = ''] = r.stdout.split('\n');
  if (status === 'ENOENT') return { failed: true, msg: `file not found: ${src}` };
  if (status === 'EACCES') return { failed: true, msg: `file is not readable: ${src}` };
  if (status === 'EISDIR') return { failed: true, msg: `source is a directory and must be a file: ${src}` };
  if (status === 'ENOTDIR') return { failed: true, msg: `unable to slurp file: [Errno 20] Not a directory: '${src}'` };
  if (status !== 'OK') return { failed: true, msg: `unable to slurp file: ${r.stderr.trim()}` };
  return { changed: false, content: data.trim(), source: src, encoding: 'base64' };
}

export const slurpModule: ModuleDef = { name: 'slurp', spec: slurpSpec, checkMode: true, run: (args, ctx) => catchFail(() => runSlurp(args, ctx)) };
