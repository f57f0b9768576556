// Copying one controller-side file (bytes) to the target: the path shared by copy and template.
// Mirrors Ansible's action (_copy_file) + remote copy module: compare sha1, upload only on change.
import { createHash } from 'crypto';
import * as path from 'path';
import type { ModuleContext, ModuleResult } from '../types';
import {
  addPathInfo, applyOrFail, atomicWrite, attrNames, ModuleFail, planAttrs, probe, resolveMode, textDiff,
} from '../common';
import type { PathStat } from '../common';
import { shJoin } from '../../connection/quote';
import { runFileModule } from './file';

export interface CopyOneOptions {
  content: Buffer;
  /** Path of the file relative to the copied tree (its basename for a single file). */
  sourceRel: string;
  dest: string;
  /** True when content came from `content:` (a directory dest is then an error). */
  fromContent: boolean;
  args: Record<string, unknown>;
  /** after_header of the diff. */
  sourceLabel: string;
  /** Mode of the controller file, for mode=preserve. */
  sourceMode?: number;
}

export const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
export const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

const join = (a: string, b: string): string => (a.endsWith('/') ? a + b : `${a}/${b}`);

/** Ansible's copy of one file; returns null when skipped (exists and force=no). */
export async function copyOneFile(ctx: ModuleContext, o: CopyOneOptions): Promise<ModuleResult | null> {
  const args = o.args;
  const follow = args.follow as boolean;
  const force = args.force as boolean;
  let mode = args.mode;
  if (mode === 'preserve') mode = o.sourceMode !== undefined ? '0' + (o.sourceMode & 0o7777).toString(8).padStart(3, '0') : null;
  let destFile = o.dest.endsWith('/') ? join(o.dest, o.sourceRel) : o.dest;
  const names = attrNames(args);
  const probeReq = { paths: [destFile, join(destFile, o.sourceRel)], checksum: true, follow, ...names };
  const facts = await probe(ctx.conn, probeReq);
  let st = facts.stats[0] as PathStat;
  if (st.exists && st.type === 'directory') {
    if (o.fromContent) throw new ModuleFail('can not use content with a dir as dest', { diff: [] });
    destFile = join(destFile, o.sourceRel);
    st = facts.stats[1] as PathStat;
  }
  if (st.exists && !force) return null;
  const localSum = sha1(o.content);
  const result: ModuleResult = { diff: [] };
  const attrArgs = { ...args, mode };
  if (st.checksum !== localSum) {
    if (ctx.diff) {
      const before = st.exists && st.type === 'file' ? await ctx.conn.fetch(destFile).catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
      const entry = textDiff(before, o.content, destFile, o.sourceLabel);
      if (!st.exists) delete entry.before_header;
      (result.diff as unknown[]).push(entry);
    }
    if (ctx.check) return { ...result, changed: true };
    try {
      return { ...result, ...(await remoteCopy(ctx, o, destFile, st, attrArgs, facts)) };
    } catch (e) {
      // the action merges the failed module result into {diff: [], checksum}
      if (e instanceof ModuleFail) throw new ModuleFail(e.message, { ...result, checksum: localSum, ...e.extra });
      throw e;
    }
  }
  // unchanged content: Ansible runs the file module for the attributes instead
  let fileDest = o.dest;
  if (follow && st.type === 'link' && st.linkTarget) fileDest = st.linkTarget;
  const fileRes = await runFileModule(ctx, {
    ...attrArgs, path: fileDest, _original_basename: o.sourceRel, recurse: false, state: 'file', src: null, follow,
  });
  if (!fileRes.checksum) fileRes.checksum = localSum;
  return { ...result, ...fileRes };
}

/** The remote half: make the dest dir if dest ends with '/', back up, validate, move, attributes. */
async function remoteCopy(
  ctx: ModuleContext,
  o: CopyOneOptions,
  destFile: string,
  st: PathStat,
  args: Record<string, unknown>,
  facts: Awaited<ReturnType<typeof probe>>,
): Promise<ModuleResult> {
  let dest = destFile;
  if (st.exists && st.type === 'link' && (args.follow as boolean)) dest = st.path;
  const dir = path.posix.dirname(dest);
  if (o.dest.endsWith('/')) {
    await makeParents(ctx, dir, args, facts);
  } else {
    const parent = await probe(ctx.conn, { paths: [dir] });
    if (!parent.stats[0]?.exists) throw new ModuleFail(`Destination directory ${dir} does not exist`);
  }
  const plan = planAttrs(dest, st.exists ? st : { ...st, exists: true, type: 'file', modeBits: 0o644 }, args, facts);
  const write = await atomicWrite(ctx.conn, {
    dest,
    content: o.content,
    backup: args.backup as boolean,
    validate: args.validate as string | null,
    mode: plan.mode,
    uid: plan.uid,
    gid: plan.gid,
  });
  const res: ModuleResult = {
    dest,
    src: path.posix.join(dir, '.tsible_tmp_source'),
    md5sum: md5(o.content),
    checksum: sha1(o.content),
    changed: true,
  };
  if (write.backupFile) res.backup_file = write.backupFile;
  return addPathInfo(ctx.conn, res);
}

/** Creates missing parent directories, giving only the new ones directory_mode/owner/group. */
async function makeParents(
  ctx: ModuleContext,
  dir: string,
  args: Record<string, unknown>,
  names: Awaited<ReturnType<typeof probe>>,
): Promise<void> {
  const fix: string[] = [];
  const dirMode = args.directory_mode;
  if (dirMode !== null && dirMode !== undefined) fix.push(`chmod ${resolveMode(dirMode, 0o755, true, dir).toString(8)} "$_x"`);
  const plan = planAttrs(dir, { exists: true, type: 'directory', modeBits: 0o755, uid: -1, gid: -1 } as PathStat, { owner: args.owner as string | null, group: args.group as string | null }, names);
  if (plan.uid !== null) fix.push(`chown ${plan.uid} "$_x"`);
  if (plan.gid !== null) fix.push(`chgrp ${plan.gid} "$_x"`);
  const d = shJoin([dir]);
  const script = [
    `_d=${d}; _l=''; while [ ! -e "$_d" ]; do _l="$_d
$_l"; _d=$(dirname -- "$_d"); done`,
    `mkdir -p -- ${d}`,
    fix.length ? `printf '%s' "$_l" | while IFS= read -r _x; do [ -n "$_x" ] && ${fix.join(' && ')}; done; true` : 'true',
  ];
  await applyOrFail(ctx.conn, [`{ ${script.join('\n')}\n}`], { paths: [] }, `There was an issue creating ${dir} as requested: `);
}
