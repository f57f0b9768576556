// Copying one controller-side file (bytes) to the target: the path shared by copy and template.
// Mirrors Ansible's action (_copy_file) + remote copy module: compare sha1, upload only on change.
import { createHash } from 'crypto';
import * as posix from 'path/posix';
import type { ModuleContext, ModuleResult } from '../types';
import { applyOrFail, atomicWrite, attrNames, ModuleFail, pathInfoOf, planAttrs, resolveMode, textDiff } from '../common';
import type { PathStat, ProbeResult } from '../common';
import { shJoin, shQuote } from '../../connection/quote';
import { runFileModule } from './file';
import type { PreProbed } from './file';
import { fileProbeScript } from './file-probe';
import type { ExtraPath, FileFacts, FileProbeOptions } from './file-probe';

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

/** What copy sees of a path: the link itself, or (follow) what it points at, with the checksum. */
function copyView(f: FileFacts, follow: boolean): PathStat {
  if (!follow || f.st.type !== 'link') return f.st;
  return { ...f.real, path: f.st.path, ...(f.st.checksum !== undefined ? { checksum: f.st.checksum } : {}) };
}

/** What the copy probe learnt for one file. */
export interface CopyFacts {
  dest: FileFacts | undefined;
  inner: FileFacts | undefined;
  /** Facts the file module can reuse (the unchanged path). */
  preProbed: PreProbed[];
  parentExists: boolean;
}

const destFileOf = (o: CopyOneOptions) => (o.dest.endsWith('/') ? join(o.dest, o.sourceRel) : o.dest);

/**
 * One exec learns all copy needs, for one file or a whole tree, on the way where nothing
 * changes: dest (or dest/<file> when dest is a directory) with its sha1 when the size
 * matches, the file module's facts for the attribute check, names, the parent directory;
 * `extra` paths (a tree's directories and links) get file facts too.
 */
export async function probeCopies(
  ctx: ModuleContext,
  list: readonly CopyOneOptions[],
  names: { users: string[]; groups: string[] },
  extra: readonly string[] = [],
): Promise<{ files: CopyFacts[]; extra: PreProbed[] }> {
  const items: ExtraPath[] = [];
  const index = new Map<string, number>();
  const add = (x: ExtraPath): number => {
    const known = index.get(x.path);
    if (known !== undefined) return known;
    index.set(x.path, items.length);
    items.push(x);
    return items.length - 1;
  };
  const parents: string[] = [];
  const refs = list.map((o) => {
    const destFile = destFileOf(o);
    const d = add({ path: destFile, checksumIfSize: o.content.length });
    const i = add({ path: join(destFile, o.sourceRel), checksumIfSize: o.content.length, when: `[ -d ${shQuote(destFile)} ]` });
    const own = o.dest !== destFile ? add({ path: o.dest }) : d;
    const parent = posix.dirname(destFile);
    if (!parents.includes(parent)) parents.push(parent);
    return { d, i, own, parent: parents.indexOf(parent) };
  });
  const extraAt = extra.map((x) => add({ path: x }));
  const [first, ...rest] = items as [ExtraPath, ...ExtraPath[]];
  const opts: FileProbeOptions = { src: null, ...(first.checksumIfSize !== undefined ? { checksumIfSize: first.checksumIfSize } : {}), ...names };
  const probe = fileProbeScript(first.path, opts, rest);
  const script = probe.script + parents.map((d, k) => `[ -d ${shQuote(d)} ] && echo 'PARENT ${k}'`).join('\n') + '\n';
  const r = await ctx.conn.exec(script);
  const facts = probe.parseAll(r.stdoutBytes);
  if (!facts[0]) throw new ModuleFail(`Could not probe ${first.path}: ${r.stderr.trim() || `rc ${r.rc}`}`);
  const text = r.stdoutBytes.toString('latin1');
  const pre = (k: number): PreProbed[] => {
    const f = facts[k];
    return f ? [{ path: (items[k] as ExtraPath).path, facts: f }] : [];
  };
  return {
    files: refs.map((x) => ({
      dest: facts[x.d],
      inner: facts[x.i],
      preProbed: [...pre(x.d), ...pre(x.i), ...(x.own !== x.d ? pre(x.own) : [])],
      parentExists: new RegExp(`^PARENT ${x.parent}$`, 'm').test(text),
    })),
    extra: extraAt.flatMap((k) => pre(k)),
  };
}

/** Ansible's copy of one file; returns null when skipped (exists and force=no). */
/** `known`: what probeCopies already learnt about this file. */
export async function copyOneFile(ctx: ModuleContext, o: CopyOneOptions, known?: CopyFacts): Promise<ModuleResult | null> {
  const args = o.args;
  const follow = args.follow as boolean;
  const force = args.force as boolean;
  let mode = args.mode;
  if (mode === 'preserve') mode = o.sourceMode !== undefined ? '0' + (o.sourceMode & 0o7777).toString(8).padStart(3, '0') : null;
  let destFile = destFileOf(o);
  const facts = known ?? (await probeCopies(ctx, [o], attrNames(args))).files[0];
  if (!facts?.dest) throw new ModuleFail(`Could not probe ${destFile}`);
  let st = copyView(facts.dest, follow);
  // following an existing link, copy writes its realpath (the link stays a link)
  if (follow && facts.dest.st.type === 'link' && facts.dest.real.exists && facts.dest.real.type !== 'directory') {
    destFile = facts.dest.real.path;
    st = { ...st, path: destFile };
  }
  let parentExists = facts.parentExists;
  if (st.exists && st.type === 'directory') {
    if (o.fromContent) throw new ModuleFail('can not use content with a dir as dest', { diff: [] });
    destFile = join(destFile, o.sourceRel);
    st = facts.inner ? copyView(facts.inner, follow) : { ...st, exists: false, type: 'absent', path: destFile };
    parentExists = true;
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
      return { ...result, ...(await remoteCopy(ctx, o, destFile, st, attrArgs, facts.dest.names, parentExists)) };
    } catch (e) {
      // the action merges the failed module result into {diff: [], checksum}
      if (e instanceof ModuleFail) throw new ModuleFail(e.message, { ...result, checksum: localSum, ...e.extra });
      throw e;
    }
  }
  // unchanged content: Ansible runs the file module for the attributes instead
  let fileDest = o.dest;
  if (follow && st.type === 'link' && st.linkTarget) fileDest = st.linkTarget;
  const fileRes = await runFileModule(
    ctx,
    { ...attrArgs, path: fileDest, _original_basename: o.sourceRel, recurse: false, state: 'file', src: null, follow },
    facts.preProbed,
  );
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
  names: Pick<ProbeResult, 'uids' | 'gids'>,
  parentExists: boolean,
): Promise<ModuleResult> {
  let dest = destFile;
  if (st.exists && st.type === 'link' && (args.follow as boolean)) dest = st.path;
  const dir = posix.dirname(dest);
  if (!parentExists) {
    if (!o.dest.endsWith('/')) throw new ModuleFail(`Destination directory ${dir} does not exist`);
    await makeParents(ctx, dir, args, names);
  }
  const plan = planAttrs(dest, st.exists ? st : { ...st, exists: true, type: 'file', modeBits: 0o644 }, args, names);
  const write = await atomicWrite(ctx.conn, {
    dest,
    content: o.content,
    backup: args.backup as boolean,
    validate: args.validate as string | null,
    mode: plan.mode,
    uid: plan.uid,
    gid: plan.gid,
    restat: { paths: [dest] },
  });
  const res: ModuleResult = {
    dest,
    src: posix.join(dir, '.tsible_tmp_source'),
    md5sum: md5(o.content),
    checksum: sha1(o.content),
    changed: true,
  };
  if (write.backupFile) res.backup_file = write.backupFile;
  return { ...res, ...pathInfoOf(write.stats?.[0] as PathStat) };
}

/** Creates missing parent directories, giving only the new ones directory_mode/owner/group. */
async function makeParents(
  ctx: ModuleContext,
  dir: string,
  args: Record<string, unknown>,
  names: Pick<ProbeResult, 'uids' | 'gids'>,
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
