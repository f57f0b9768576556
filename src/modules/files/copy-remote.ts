// copy with remote_src: the source is on the target; single files go through the same
// temp-file rename as uploads, directories are copied with cp after a diff -r probe.
import * as path from 'path';
import type { ModuleContext, ModuleResult } from '../types';
import { shJoin } from '../../connection/quote';
import { addPathInfo, applyOrFail, attrNames, finalizeTemp, ModuleFail, planAttrs, probe, tempPathBeside } from '../common';
import type { PathStat } from '../common';

export async function atomicCopyRemote(ctx: ModuleContext, args: Record<string, unknown>): Promise<ModuleResult> {
  const src = args.src as string;
  let dest = args.dest as string;
  const names = attrNames(args);
  const first = await probe(ctx.conn, { paths: [src, dest, `${dest.replace(/\/$/, '')}/${path.posix.basename(src)}`], checksum: true, follow: true, ...names });
  const srcSt = first.stats[0] as PathStat;
  if (!srcSt.exists) throw new ModuleFail(`Source ${src} not found`);
  if (!srcSt.readable) throw new ModuleFail(`Source ${src} not readable`);
  let mode = args.mode;
  if (mode === 'preserve') mode = srcSt.mode;
  if (srcSt.type === 'directory') return copyRemoteDir(ctx, args, srcSt);
  if (srcSt.type !== 'file') throw new ModuleFail(`Cannot copy invalid source '${src}': not a file`);
  const checksumSrc = srcSt.checksum ?? null;
  if (args.checksum && checksumSrc !== args.checksum) {
    throw new ModuleFail('Copied file does not match the expected checksum. Transfer failed.', { checksum: checksumSrc, expected_checksum: args.checksum });
  }
  let st = first.stats[1] as PathStat;
  if (st.exists && st.type === 'directory') {
    dest = `${dest.replace(/\/$/, '')}/${path.posix.basename(src)}`;
    st = first.stats[2] as PathStat;
  }
  if (st.exists && !args.force) return { msg: 'file already exists', src, dest, changed: false };
  const md5 = (await probe(ctx.conn, { paths: [src], checksum: true, checksumTool: 'md5sum', follow: true })).stats[0]?.checksum;
  if (!st.exists) {
    const parent = await probe(ctx.conn, { paths: [path.posix.dirname(dest)] });
    if (!parent.stats[0]?.exists) throw new ModuleFail(`Destination directory ${path.posix.dirname(dest)} does not exist`);
  }
  const plan = planAttrs(dest, st.exists ? st : { ...srcSt, modeBits: 0o644 }, { ...args, mode }, first);
  const res: ModuleResult = { dest, src, md5sum: md5, checksum: checksumSrc, changed: st.checksum !== checksumSrc };
  if (res.changed && !ctx.check) {
    const tmp = tempPathBeside(dest);
    await applyOrFail(ctx.conn, [shJoin(['cp', '--', src, tmp])], { paths: [] }, `failed to copy: ${src} to ${dest}: `);
    const w = await finalizeTemp(ctx.conn, tmp, { dest, backup: args.backup as boolean, validate: args.validate as string | null, mode: plan.mode, uid: plan.uid, gid: plan.gid });
    if (w.backupFile) res.backup_file = w.backupFile;
  } else if (plan.changed) {
    res.changed = true;
    if (!ctx.check) await applyOrFail(ctx.conn, plan.commands, { paths: [] }, '');
  }
  return addPathInfo(ctx.conn, res);
}

/** remote_src directory copy: trailing slash copies the contents, otherwise the directory itself. */
async function copyRemoteDir(ctx: ModuleContext, args: Record<string, unknown>, srcSt: PathStat): Promise<ModuleResult> {
  const src = args.src as string;
  const dest = args.dest as string;
  const target = src.endsWith('/') ? dest : path.posix.join(dest, path.posix.basename(src));
  const r = await ctx.conn.exec(`[ -d ${shJoin([target])} ] || { echo MISSING; exit 0; }; diff -rq -- ${shJoin([src, target])} >/dev/null 2>&1 || echo DIFFERS\n`);
  const changed = /MISSING|DIFFERS/.test(r.stdout);
  if (changed && !ctx.check) {
    await applyOrFail(ctx.conn, [shJoin(['mkdir', '-p', '--', target]), shJoin(['cp', '-RpT', '--', src, target])], { paths: [] }, `failed to copy: ${src} to ${dest}: `);
  }
  void srcSt;
  return addPathInfo(ctx.conn, { dest, src, md5sum: null, checksum: null, changed });
}
