// ansible.builtin.assemble: concatenate the fragments of a target directory (sorted,
// filtered by regexp/hidden, with a delimiter) into dest, written only when the sha1 differs.
import * as fs from 'fs';
import * as path from 'path';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { shQuote } from '../../connection/quote';
import { addPathInfo, attrNames, catchFail, ModuleFail, pathInfoOf, pyRegex, readTargetScript } from '../common';
import { FILE_COMMON_SPEC } from './spec-common';
import { md5, sha1 } from './copy-core';
import { writeEdited } from './edit-common';

export const assembleSpec = {
  ...FILE_COMMON_SPEC,
  backup: { type: 'bool', default: false },
  decrypt: { type: 'bool', default: true },
  delimiter: { type: 'str' },
  dest: { type: 'path', required: true },
  ignore_hidden: { type: 'bool', default: false },
  regexp: { type: 'str' },
  remote_src: { type: 'bool', default: true },
  src: { type: 'path', required: true },
  validate: { type: 'str' },
} as const;

interface Fragment {
  name: string;
  data: Buffer;
}

/** Python's codecs.escape_decode for the delimiter (\n, \t, \\, \xNN). */
function escapeDecode(s: string): Buffer {
  const out = s.replace(/\\(x[0-9a-fA-F]{2}|[ntr\\'"abfv0])/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
  return Buffer.from(out, 'latin1');
}

export function assembleFragments(frags: Fragment[], a: Record<string, unknown>): Buffer {
  const re = a.regexp !== null ? pyRegex(a.regexp as string) : null;
  const parts: Buffer[] = [];
  let delimitMe = false;
  let addNewline = false;
  for (const f of [...frags].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
    if (re && !re.exec(f.name)) continue;
    if (a.ignore_hidden && f.name.startsWith('.')) continue;
    if (addNewline) parts.push(Buffer.from('\n'));
    if (delimitMe && a.delimiter) {
      const d = escapeDecode(a.delimiter as string);
      parts.push(d);
      if (d[d.length - 1] !== 10) parts.push(Buffer.from('\n'));
    }
    parts.push(f.data);
    delimitMe = true;
    addNewline = !(f.data.length && f.data[f.data.length - 1] === 10);
  }
  return Buffer.concat(parts);
}

/** sh listing the fragments of a target directory: `F <name length> <name>` then the base64 bytes. */
function fragmentsScript(src: string): string {
  const q = shQuote(src);
  return (
    `if [ ! -e ${q} ]; then echo NOSRC; elif [ ! -d ${q} ]; then echo NOTDIR; else\n` +
    `for f in ${q}/* ${q}/.[!.]* ${q}/..?*; do [ -f "$f" ] || continue; _n=\${f##*/}; printf 'F %s %s\\n' "\${#_n}" "$_n"; base64 -w0 < "$f"; echo; done; fi\n`
  );
}

function parseFragments(src: string, out: Buffer): Fragment[] {
  const text = out.toString('latin1');
  if (/^NOSRC$/m.test(text)) throw new ModuleFail(`Source (${src}) does not exist`);
  if (/^NOTDIR$/m.test(text)) throw new ModuleFail(`Source (${src}) is not a directory`);
  const frags: Fragment[] = [];
  let at = 0;
  while (at < out.length) {
    const m = /^F (\d+) /.exec(out.subarray(at, at + 32).toString('latin1'));
    if (!m) break;
    const nameStart = at + m[0].length;
    const nameEnd = nameStart + Number(m[1]);
    const dataEnd = out.indexOf(0x0a, nameEnd + 1);
    if (dataEnd < 0) break;
    frags.push({ name: out.subarray(nameStart, nameEnd).toString('utf8'), data: Buffer.from(out.subarray(nameEnd + 1, dataEnd).toString('latin1'), 'base64') });
    at = dataEnd + 1;
  }
  return frags;
}

function localFragments(ctx: ModuleContext, src: string): Fragment[] {
  const dir = ctx.controller.findFile('files', src);
  if (!dir) throw new ModuleFail(`Source (${src}) does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new ModuleFail(`Source (${src}) is not a directory`);
  return fs
    .readdirSync(dir)
    .filter((n) => fs.statSync(path.join(dir, n)).isFile())
    .map((n) => ({ name: n, data: fs.readFileSync(path.join(dir, n)) }));
}

async function runAssemble(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const src = args.src as string;
  const dest = args.dest as string;
  if (args.validate && !(args.validate as string).includes('%s')) throw new ModuleFail(`validate must contain %s: ${args.validate as string}`);
  // one exec: the fragments (when they are on the target) and the current dest
  const target = readTargetScript(dest, attrNames(args));
  const lister = args.remote_src ? fragmentsScript(src) : '';
  const r = await ctx.conn.exec(lister + 'echo FRAGMENTS-END\n' + target.script);
  const split = r.stdoutBytes.indexOf('FRAGMENTS-END\n');
  const frags = args.remote_src ? parseFragments(src, r.stdoutBytes.subarray(0, split)) : localFragments(ctx, src);
  const tf = target.parse(r.stdoutBytes.subarray(split + 'FRAGMENTS-END\n'.length));
  const content = assembleFragments(frags, args);
  const result: ModuleResult = { src, dest, checksum: sha1(content), md5sum: md5(content) };
  const differs = !tf.content || sha1(tf.content) !== result.checksum;
  const w = await writeEdited(ctx, { ...tf, parentExists: true }, dest, args, differs ? content : null);
  if (w.backupFile) result.backup_file = w.backupFile;
  result.changed = differs || !!w.attrs?.changed;
  result.msg = 'OK';
  // dest is no link: its stat is the one just taken (before, or after the write)
  if (tf.realPath === dest && (w.written || !result.changed)) {
    return { ...result, ...pathInfoOf(w.written ?? tf.st) };
  }
  return addPathInfo(ctx.conn, result);
}

export const assembleModule: ModuleDef = {
  name: 'assemble',
  spec: assembleSpec,
  checkMode: false,
  run: (args, ctx) => catchFail(() => runAssemble(args, ctx)),
};
