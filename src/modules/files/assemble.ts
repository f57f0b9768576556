// ansible.builtin.assemble: concatenate the fragments of a target directory (sorted,
// filtered by regexp/hidden, with a delimiter) into dest, written only when the sha1 differs.
import * as fs from 'fs';
import * as path from 'path';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { shQuote } from '../../connection/quote';
import { addPathInfo, attrNames, catchFail, ModuleFail, pyRegex, readTarget } from '../common';
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

async function remoteFragments(ctx: ModuleContext, src: string): Promise<Fragment[]> {
  const q = shQuote(src);
  const r = await ctx.conn.exec(
    `[ -e ${q} ] || { echo NOSRC; exit 0; }; [ -d ${q} ] || { echo NOTDIR; exit 0; }\n` +
      `for f in ${q}/* ${q}/.[!.]* ${q}/..?*; do [ -f "$f" ] || continue; printf 'F %s %s\\n' "$(basename -- "$f" | base64 -w0)" "$(base64 -w0 < "$f")"; done\n`,
  );
  if (/^NOSRC$/m.test(r.stdout)) throw new ModuleFail(`Source (${src}) does not exist`);
  if (/^NOTDIR$/m.test(r.stdout)) throw new ModuleFail(`Source (${src}) is not a directory`);
  return [...r.stdout.matchAll(/^F (\S*) (\S*)$/gm)].map((m) => ({
    name: Buffer.from(m[1] ?? '', 'base64').toString('utf8').replace(/\n$/, ''),
    data: Buffer.from(m[2] ?? '', 'base64'),
  }));
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
  const frags = args.remote_src ? await remoteFragments(ctx, src) : localFragments(ctx, src);
  if (args.validate && !(args.validate as string).includes('%s')) throw new ModuleFail(`validate must contain %s: ${args.validate as string}`);
  const content = assembleFragments(frags, args);
  const tf = await readTarget(ctx.conn, dest, attrNames(args));
  const result: ModuleResult = { src, dest, checksum: sha1(content), md5sum: md5(content) };
  const differs = !tf.content || sha1(tf.content) !== result.checksum;
  const w = await writeEdited(ctx, { ...tf, parentExists: true }, dest, args, differs ? content : null);
  if (w.backupFile) result.backup_file = w.backupFile;
  result.changed = differs || !!w.attrs?.changed;
  result.msg = 'OK';
  return addPathInfo(ctx.conn, result);
}

export const assembleModule: ModuleDef = {
  name: 'assemble',
  spec: assembleSpec,
  checkMode: false,
  run: (args, ctx) => catchFail(() => runAssemble(args, ctx)),
};
