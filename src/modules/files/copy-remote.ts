// copy with remote_src: the source is on the target. One exec probes src (sha1, md5), dest,
// dest/<name>, the parent and, for a directory source, whether the trees differ (links compared
// as links unless local_follow copies what they point at: a link to ../ is no loop); a change
// is one more exec (cp to a temp file, validate, rename, re-stat; or cp -R).
import * as path from 'path';
import type { ModuleContext, ModuleResult } from '../types';
import { shJoin, shQuote } from '../../connection/quote';
import { applyThenProbe, attrNames, finalizeTemp, ModuleFail, parseProbe, pathInfoOf, planAttrs, probeScript, tempPathBeside } from '../common';
import type { PathStat, ProbeRequest } from '../common';

/** Where a directory source lands: its contents with a trailing slash, itself without. */
const dirTarget = (src: string, dest: string) => (src.endsWith('/') ? dest : path.posix.join(dest, path.posix.basename(src)));

export async function atomicCopyRemote(ctx: ModuleContext, args: Record<string, unknown>): Promise<ModuleResult> {
  const src = args.src as string;
  let dest = args.dest as string;
  const names = attrNames(args);
  const inner = `${dest.replace(/\/$/, '')}/${path.posix.basename(src)}`;
  const req: ProbeRequest = { paths: [src, dest, inner, path.posix.dirname(dest), path.posix.dirname(inner)], checksum: true, expectSize: [undefined, undefined, undefined, null, null], follow: true, ...names };
  const s = shQuote(src);
  const target = shQuote(dirTarget(src, dest));
  const r = await ctx.conn.exec(
    probeScript(req) +
      `if [ -f ${s} ] && [ -r ${s} ]; then printf 'MD5 '; md5sum < ${s}; fi\n` +
      `[ -L ${shQuote(dest)} ] && echo DESTLINK; [ -L ${shQuote(inner)} ] && echo INNERLINK\n` +
      `if [ -d ${s} ]; then if [ ! -d ${target} ]; then echo TREE-MISSING; elif ! diff -rq ${args.local_follow === true ? '' : '--no-dereference '}-- ${s} ${target} >/dev/null 2>&1; then echo TREE-DIFFERS; fi; fi\n`,
  );
  const first = parseProbe(req, r.stdout);
  const srcSt = first.stats[0] as PathStat;
  if (!srcSt.exists) throw new ModuleFail(`Source ${src} not found`);
  if (!srcSt.readable) throw new ModuleFail(`Source ${src} not readable`);
  let mode = args.mode;
  if (mode === 'preserve') mode = srcSt.mode;
  if (srcSt.type === 'directory') {
    const destNow = /^DESTLINK$/m.test(r.stdout) ? undefined : (first.stats[1] as PathStat);
    return copyRemoteDir(ctx, args, /^TREE-(MISSING|DIFFERS)$/m.test(r.stdout), destNow);
  }
  if (srcSt.type !== 'file') throw new ModuleFail(`Cannot copy invalid source '${src}': not a file`);
  const checksumSrc = srcSt.checksum ?? null;
  if (args.checksum && checksumSrc !== args.checksum) {
    throw new ModuleFail('Copied file does not match the expected checksum. Transfer failed.', { checksum: checksumSrc, expected_checksum: args.checksum });
  }
  let st = first.stats[1] as PathStat;
  let parent = first.stats[3] as PathStat;
  let isLink = /^DESTLINK$/m.test(r.stdout);
  if (dest.endsWith('/') && !st.exists) {
    // a dest directory that does not exist yet is created, with its missing parents
    const dirname = dest.replace(/\/+$/, '');
    if (ctx.check) return { msg: `dest directory ${dirname} would be created`, changed: true, src };
    const made = await applyThenProbe(ctx.conn, [shJoin(['mkdir', '-p', '--', dirname])], { paths: [dirname] });
    if (made.rc !== 0) throw new ModuleFail(`Could not create ${dirname}: ${made.stderr.trim()}`);
    parent = made.stats[0] as PathStat;
    dest = inner;
    st = first.stats[2] as PathStat;
  }
  if (st.exists && st.type === 'directory') {
    dest = inner;
    st = first.stats[2] as PathStat;
    parent = first.stats[4] as PathStat;
    isLink = /^INNERLINK$/m.test(r.stdout);
  }
  if (st.exists && !args.force) return { msg: 'file already exists', src, dest, changed: false };
  const md5 = /^MD5 ([0-9a-f]+)/m.exec(r.stdout)?.[1];
  if (!st.exists && !parent.exists) throw new ModuleFail(`Destination directory ${path.posix.dirname(dest)} does not exist`);
  const plan = planAttrs(dest, st.exists ? st : { ...srcSt, modeBits: 0o644 }, { ...args, mode }, first);
  const res: ModuleResult = { dest, src, md5sum: md5, checksum: checksumSrc, changed: st.checksum !== checksumSrc };
  let after: PathStat | undefined = isLink ? undefined : st;
  if (res.changed && !ctx.check) {
    const tmp = tempPathBeside(dest);
    const w = await finalizeTemp(ctx.conn, tmp, {
      dest, backup: args.backup as boolean, validate: args.validate as string | null, mode: plan.mode, uid: plan.uid, gid: plan.gid,
      prepare: { script: shJoin(['cp', '--', src, tmp]), failMsg: `failed to copy: ${src} to ${dest}: ` },
      restat: { paths: [dest] },
    });
    if (w.backupFile) res.backup_file = w.backupFile;
    after = w.stats?.[0];
  } else if (plan.changed) {
    res.changed = true;
    if (!ctx.check) {
      const applied = await applyThenProbe(ctx.conn, plan.commands, { paths: [dest] });
      if (applied.rc !== 0) throw new ModuleFail(applied.stderr.trim());
      after = applied.stats[0];
    }
  }
  if (after) return { ...res, ...pathInfoOf(after) };
  return { ...res, ...pathInfoOf((await applyThenProbe(ctx.conn, [], { paths: [dest] })).stats[0]) };
}

/** Whether anything in the tree has another owner or group than asked (names or ids). */
async function ownershipDiffers(ctx: ModuleContext, target: string, args: Record<string, unknown>): Promise<boolean> {
  const tests: string[] = [];
  if (args.owner !== null && args.owner !== undefined) tests.push('!', '-user', String(args.owner));
  if (args.group !== null && args.group !== undefined) tests.push(...(tests.length ? ['-o'] : []), '!', '-group', String(args.group));
  const r = await ctx.conn.exec(`[ -d ${shQuote(target)} ] && find ${shQuote(target)} \\( ${shJoin(tests)} \\) -print -quit 2>/dev/null\n`);
  return r.stdout.trim() !== '';
}

/** remote_src directory copy: trailing slash copies the contents, otherwise the directory itself. */
async function copyRemoteDir(ctx: ModuleContext, args: Record<string, unknown>, changedTree: boolean, destNow: PathStat | undefined): Promise<ModuleResult> {
  const src = args.src as string;
  const dest = args.dest as string;
  const target = dirTarget(src, dest);
  let changed = changedTree;
  // owner/group: chown_recursive over the copied tree (links themselves, not what they point at)
  const owner = [args.owner, args.group].some((v) => v !== null && v !== undefined)
    ? `${(args.owner as string | null) ?? ''}${args.group !== null && args.group !== undefined ? `:${args.group as string}` : ''}`
    : null;
  if (owner !== null && !changed) changed = await ownershipDiffers(ctx, target, args);
  // nothing written (unchanged, or check mode): dest is as the probe saw it
  if ((!changed || ctx.check) && destNow) return { dest, src, md5sum: null, checksum: null, changed, ...pathInfoOf(destNow) };
  // dest as it is after the copy (or as it was): stat in the same exec
  // shutil.copytree(symlinks=not local_follow): links are followed only when local_follow is given true
  const cp = ['cp', args.local_follow === true ? '-RpTL' : '-RpT', '--', src, target];
  const commands = changed && !ctx.check ? [shJoin(['mkdir', '-p', '--', target]), shJoin(cp)] : [];
  if (commands.length && owner !== null) commands.push(shJoin(['chown', '-hR', owner, '--', target]));
  const applied = await applyThenProbe(ctx.conn, commands, { paths: [dest] });
  if (applied.rc !== 0) throw new ModuleFail(`failed to copy: ${src} to ${dest}: ${applied.stderr.trim()}`);
  return { dest, src, md5sum: null, checksum: null, changed, ...pathInfoOf(applied.stats[0]) };
}
