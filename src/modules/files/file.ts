// ansible.builtin.file: states file/directory/touch/absent/link/hard, recursive attributes,
// timestamps; probe → plan → (check stops here) → one apply exec that also re-stats.
import * as path from 'path';
import { shJoin } from '../../connection/quote';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { validateArgs } from '../args';
import { addPathInfo, applyOrFail, attrNames, catchFail, ModuleFail, pathInfo, planAttrs } from '../common';
import type { PathStat } from '../common';
import { FILE_COMMON_SPEC } from './spec-common';
import { existsFollowing, fileState, probeFile } from './file-probe';
import type { FileFacts } from './file-probe';
import { planTimes, wantedTime } from './timestamps';
import type { WantedTime } from './timestamps';
import { planTree, statFollowed, statTree } from './file-recurse';

export const fileSpec = {
  ...FILE_COMMON_SPEC,
  _diff_peek: { type: 'bool' },
  _original_basename: { type: 'str' },
  access_time: { type: 'str' },
  access_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
  follow: { type: 'bool', default: true },
  force: { type: 'bool', default: false },
  modification_time: { type: 'str' },
  modification_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
  path: { type: 'path', required: true, aliases: ['dest', 'name'] },
  recurse: { type: 'bool', default: false },
  src: { type: 'path' },
  state: { type: 'str', choices: ['absent', 'directory', 'file', 'hard', 'link', 'touch'] },
} as const;

type Diff = { before: Record<string, unknown>; after: Record<string, unknown> };

interface Job {
  ctx: ModuleContext;
  args: Record<string, unknown>;
  facts: FileFacts;
  mtime: WantedTime;
  atime: WantedTime;
  diff: Diff;
  commands: string[];
  changed: boolean;
}

function initialDiff(p: string, state: string, prev: string, facts: FileFacts): Diff {
  const diff: Diff = { before: { path: p }, after: { path: p } };
  if (prev !== state) {
    diff.before.state = prev;
    diff.after.state = state;
    if (state === 'absent' && prev === 'directory') diff.before.path_content = facts.walk ?? { directories: [], files: [] };
  }
  return diff;
}

function stateOf(st: PathStat): string {
  if (!st.exists) return 'absent';
  if (st.type === 'link') return 'link';
  if (st.type === 'directory') return 'directory';
  return st.nlink > 1 ? 'hard' : 'file';
}

/** A stat for something about to be created (owned by the connecting user, umask mode). */
function fresh(p: string, type: PathStat['type'], modeBits: number, f: FileFacts): PathStat {
  return { ...f.st, path: p, exists: true, type, modeBits, uid: f.myUid, gid: f.myGid, nlink: 1, mtime: f.now, atime: f.now };
}

/** set_fs_attributes_if_different + update_timestamp_for_file on one path. */
function addAttrs(job: Job, target: string, cur: PathStat): void {
  const plan = planAttrs(target, cur, job.args, job.facts.names, { noDereference: true, check: job.ctx.check });
  const t = planTimes(target, cur, job.mtime, job.atime, job.facts.now);
  Object.assign(job.diff.before, plan.before, t.before);
  Object.assign(job.diff.after, plan.after, t.after);
  job.commands.push(...plan.commands, ...t.commands);
  job.changed ||= plan.changed || t.changed;
}

/** Attributes go to the realpath when following a link (load_file_common_arguments). */
function attrTarget(job: Job, p: string, st: PathStat): [string, PathStat] {
  if (job.args.follow && st.type === 'link' && job.facts.real.exists) return [job.facts.real.path, job.facts.real];
  return [p, st];
}

function ensureAbsent(job: Job, p: string, prev: string): ModuleResult {
  if (prev === 'absent') return { path: p, changed: false, state: 'absent' };
  job.diff = initialDiff(p, 'absent', prev, job.facts);
  job.commands.push(shJoin(['rm', prev === 'directory' ? '-rf' : '-f', '--', p]));
  job.changed = true;
  return { path: p, state: 'absent' };
}

function ensureFile(job: Job, p0: string, prev0: string): ModuleResult {
  let [p, st, prev] = [p0, job.facts.st, prev0];
  if (prev !== 'file' && job.args.follow && prev === 'link') {
    [p, st] = [job.facts.real.path, job.facts.real];
    prev = stateOf(st);
  }
  if (prev !== 'file' && prev !== 'hard') throw new ModuleFail(`file (${p}) is ${prev}, cannot continue`, { path: p, state: prev });
  job.diff = initialDiff(p, 'file', prev, job.facts);
  addAttrs(job, p, st);
  return { path: p };
}

function ensureDirectory(job: Job, p0: string, prev0: string): ModuleResult | 'recurse' {
  let [p, st, prev] = [p0, job.facts.st, prev0];
  if (job.args.follow && prev === 'link') {
    [p, st] = [job.facts.real.exists ? job.facts.real.path : p, job.facts.real];
    prev = stateOf(st);
  }
  job.diff = initialDiff(p, 'directory', prev, job.facts);
  if (prev === 'absent') {
    if (job.ctx.check) return { path: p, changed: true, diff: job.diff, _done: true };
    const parts = p.replace(/^\/+|\/+$/g, '').split('/');
    let cur = p.startsWith('/') ? '' : '.';
    for (const part of parts) {
      cur = cur === '.' ? part : `${cur}/${part}`;
      const saved = job.commands;
      job.commands = [];
      addAttrs(job, cur, fresh(cur, 'directory', 0o777 & ~job.facts.umask, job.facts));
      const q = shJoin([cur]);
      // Another host or process may create the same parent meanwhile: as Ansible, EEXIST on a directory is fine.
      const mkdir = `{ mkdir -- ${q} 2>/dev/null || [ -d ${q} ] || mkdir -- ${q}; }`;
      saved.push(`{ [ -d ${q} ] || { ${mkdir}${job.commands.map((c) => ' && ' + c).join('')}; }; }`);
      job.commands = saved;
    }
    job.changed = true;
    return { path: p };
  }
  if (prev !== 'directory') throw new ModuleFail(`${p} already exists as a ${prev}`, { path: p });
  addAttrs(job, p, st);
  return job.args.recurse ? 'recurse' : { path: p };
}

function ensureTouch(job: Job, p: string, prev: string): ModuleResult {
  if (prev === 'absent') {
    if (job.ctx.check) return { dest: p, changed: true, _done: true };
    job.commands.push(shJoin(['touch', '--', p]));
    job.changed = true;
  }
  job.diff = initialDiff(p, 'touch', prev, job.facts);
  const st = prev === 'absent' ? fresh(p, 'file', 0o666 & ~job.facts.umask, job.facts) : job.facts.st;
  const [target, cur] = attrTarget(job, p, st);
  addAttrs(job, target, cur);
  if (prev === 'absent' && job.commands.length > 1) {
    // a file just created goes away again when its attributes cannot be set (as Ansible's touch)
    const all = job.commands.join(' &&\n');
    job.commands = [`{ ${all}\n} || { rm -f -- ${shJoin([p])}; false; }`];
  }
  return { dest: p };
}

function ensureLink(job: Job, p: string, prev: string): ModuleResult {
  const f = job.facts;
  let src = job.args.src as string | null;
  // updating an existing link in place: its current target is the source, and it exists
  const derived = src === null && job.args.follow === true && existsFollowing(f.st) && f.st.linkTarget !== undefined;
  if (derived) src = f.st.linkTarget as string;
  const absrc = f.absrc;
  const force = job.args.force as boolean;
  if (!force && src !== null && !derived && !existsFollowing(f.srcStat)) {
    throw new ModuleFail(`src file does not exist, use "force=yes" if you really want to create the link: ${absrc}`, { path: p, src });
  }
  if (prev === 'directory') {
    if (!force) throw new ModuleFail(`refusing to convert from ${prev} to symlink for ${p}`, { path: p });
    if (f.dirNonEmpty) throw new ModuleFail(`the directory ${p} is not empty, refusing to convert it`, { path: p });
  } else if ((prev === 'file' || prev === 'hard') && !force) {
    throw new ModuleFail(`refusing to convert from ${prev} to symlink for ${p}`, { path: p });
  }
  job.diff = initialDiff(p, 'link', prev, f);
  let relink = false;
  if (prev !== 'link') {
    if (src === null) throw new ModuleFail('src is required for creating new symlinks');
    relink = true;
  } else if (src !== null && f.st.linkTarget !== src) {
    job.diff.before.src = f.st.linkTarget;
    job.diff.after.src = src;
    relink = true;
  }
  if (relink) {
    job.changed = true;
    const tmp = path.posix.join(path.posix.dirname(p), `.${process.pid}.${Date.now() / 1000}.tmp`);
    if (prev === 'absent') job.commands.push(shJoin(['ln', '-s', '--', src as string, p]));
    else {
      if (prev === 'directory') job.commands.push(shJoin(['rmdir', '--', p]));
      job.commands.push(shJoin(['ln', '-s', '--', src as string, tmp]), shJoin(['mv', '-fT', '--', tmp, p]));
    }
  }
  if (job.ctx.check && !existsFollowing(f.st)) return { dest: p, src, changed: job.changed, diff: job.diff, _done: true };
  const after = relink ? { ...fresh(p, 'link', 0o777, f), linkTarget: src ?? undefined } : f.st;
  const targetExists = relink ? existsFollowing(f.srcStat) : existsFollowing(f.st);
  if (job.args.follow && !targetExists) {
    job.ctx.warn('Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.');
  } else if (job.args.follow && (derived || f.srcStat)) {
    // following: the attributes belong to what the link points at
    const target = relink && f.srcStat ? f.srcStat : f.real;
    addAttrs(job, target.type === 'link' ? f.real.path : target.path, target.type === 'link' ? f.real : target);
  } else addAttrs(job, p, after);
  return { dest: p, src };
}

function ensureHard(job: Job, p: string, prev: string): ModuleResult {
  const f = job.facts;
  const src = job.args.src as string | null;
  const force = job.args.force as boolean;
  if (prev !== 'hard' && src === null) throw new ModuleFail('src is required for creating new hardlinks');
  if (src !== null && f.srcInode === undefined) throw new ModuleFail('src does not exist', { dest: p, src });
  job.diff = initialDiff(p, 'hard', prev, f);
  let relink = false;
  if (prev === 'absent') relink = true;
  else if (prev === 'link') {
    if (f.st.linkTarget !== src) {
      job.diff.before.src = f.st.linkTarget;
      job.diff.after.src = src;
      relink = true;
    }
  } else if (prev === 'hard') {
    if (src !== null && f.pathInode !== f.srcInode) {
      relink = true;
      if (!force) throw new ModuleFail('Cannot link, different hard link exists at destination', { dest: p, src });
    }
  } else if (prev === 'file') {
    relink = true;
    if (!force) throw new ModuleFail(`Cannot link, ${prev} exists at destination`, { dest: p, src });
  } else if (prev === 'directory') {
    if (f.pathInode === f.srcInode) return { path: p, changed: false, _done: true };
    relink = true;
    if (!force) throw new ModuleFail('Cannot link: different hard link exists at destination', { dest: p, src });
  }
  if (relink) {
    job.changed = true;
    const tmp = path.posix.join(path.posix.dirname(p), `.${process.pid}.${Date.now() / 1000}.tmp`);
    if (prev === 'absent') job.commands.push(shJoin(['ln', '--', src as string, p]));
    else job.commands.push(shJoin(['ln', '--', src as string, tmp]), shJoin(['mv', '-fT', '--', tmp, p]));
  }
  if (job.ctx.check && !existsFollowing(f.st)) return { dest: p, src, changed: job.changed, diff: job.diff, _done: true };
  const cur = relink && f.srcStat ? { ...f.srcStat, path: p, nlink: f.srcStat.nlink + 1 } : f.st;
  const [target, st] = attrTarget(job, p, cur);
  addAttrs(job, target, st);
  return { dest: p, src };
}

/** Facts a caller already probed for `path` (with the options runFile would use). */
export interface PreProbed {
  path: string;
  facts: FileFacts;
}

/** check_owner_exists / check_group_exists: check mode warns about owners the play may create. */
async function warnUnknownIds(ctx: ModuleContext, names: { users: string[]; groups: string[] }, facts: FileFacts): Promise<void> {
  const user = names.users[0];
  const group = names.groups[0];
  // numeric ids were not looked up by the probe: ask NSS about them (check mode only)
  const numeric = [user, group].map((id, i) => (id !== undefined && /^\d+$/.test(id) ? `getent ${i ? 'group' : 'passwd'} ${id} >/dev/null || echo MISSING${i}` : ''));
  const missing = numeric.some(Boolean) ? (await ctx.conn.exec(numeric.filter(Boolean).join('\n') + '\n')).stdout : '';
  if (user !== undefined) {
    if (/^\d+$/.test(user)) {
      if (missing.includes('MISSING0')) ctx.warn(`failed to look up user with uid ${Number(user)}. Create user up to this point in real play`);
    } else if (!facts.names.uids.has(user)) ctx.warn(`failed to look up user ${user}. Create user up to this point in real play`);
  }
  if (group !== undefined) {
    if (/^\d+$/.test(group)) {
      if (missing.includes('MISSING1')) ctx.warn(`failed to look up group with gid ${Number(group)}. Create group up to this point in real play`);
    } else if (!facts.names.gids.has(group)) ctx.warn(`failed to look up group ${group}. Create group up to this point in real play`);
  }
}

async function runFile(args: Record<string, unknown>, ctx: ModuleContext, preProbed: PreProbed[] = []): Promise<ModuleResult> {
  let p = args.path as string;
  let state = args.state as string | null;
  const src = args.src as string | null;
  const names = attrNames(args);
  const timed = (v: unknown) => v !== null && v !== undefined && v !== 'preserve';
  const probeOpts = {
    src, hard: state === 'hard', walk: state === 'absent', emptiness: state === 'link', tree: args.recurse === true,
    // touch defaults both times to now; otherwise only an explicit time needs the target's clock
    now: (state === 'touch' && (args.modification_time === null || args.access_time === null)) || timed(args.modification_time) || timed(args.access_time),
    ...names,
  };
  const load = async (at: string) => preProbed.find((x) => x.path === at)?.facts ?? probeFile(ctx.conn, at, probeOpts);
  let facts = await load(p);
  if (args._diff_peek !== null) return { path: p, changed: false, appears_binary: false };
  if (state !== 'link' && state !== 'absent' && existsFollowing(facts.st) && facts.real.type === 'directory') {
    const base = (args._original_basename as string | null) ?? (src ? path.posix.basename(src) : null);
    if (base) {
      p = path.posix.join(p, base);
      facts = await load(p);
    }
  }
  const prev = fileState(facts);
  if (state === null) state = prev !== 'absent' ? prev : args.recurse ? 'directory' : 'file';
  if (args.recurse && state !== 'directory') throw new ModuleFail("recurse option requires state to be 'directory'", { path: p });
  if (src && state !== 'link' && state !== 'hard') throw new ModuleFail("src option requires state to be 'link' or 'hard'", { path: p });
  if (ctx.check && state !== 'absent') await warnUnknownIds(ctx, names, facts);
  const job: Job = {
    ctx, args, facts, commands: [], changed: false, diff: { before: {}, after: {} },
    mtime: wantedTime(args.modification_time as string | null, args.modification_time_format as string, state),
    atime: wantedTime(args.access_time as string | null, args.access_time_format as string, state),
  };
  let res: ModuleResult | 'recurse';
  if (state === 'absent') res = ensureAbsent(job, p, prev);
  else if (state === 'file') res = ensureFile(job, p, prev);
  else if (state === 'directory') res = ensureDirectory(job, p, prev);
  else if (state === 'touch') res = ensureTouch(job, p, prev);
  else if (state === 'link') res = ensureLink(job, p, prev);
  else res = ensureHard(job, p, prev);
  if (res === 'recurse') {
    // the probe listed the tree when the path was already a directory
    const items = facts.tree && facts.st.type === 'directory' ? facts.tree : await statTree(ctx.conn, p);
    const tree = planTree(items, args, facts.names, job.mtime, job.atime, facts.now, ctx.check);
    job.commands.push(...tree.commands);
    job.changed ||= tree.changed;
    if (args.follow) {
      const beyond = planTree(await statFollowed(ctx.conn, p, items), args, facts.names, job.mtime, job.atime, facts.now, ctx.check, true);
      job.commands.push(...beyond.commands);
      job.changed ||= beyond.changed;
    }
    res = { path: p };
  }
  if (res._done) {
    delete res._done;
    return withInfo(res, ctx.check ? facts.st : undefined);
  }
  if (state === 'absent' && !job.changed) return res;
  const result: ModuleResult = { ...res, changed: job.changed, diff: job.diff };
  const infoPath = (res.path ?? res.dest) as string;
  if (ctx.check || !job.commands.length) {
    const st = infoPath === facts.st.path ? facts.st : infoPath === facts.real.path ? facts.real : facts.st;
    return { ...result, ...(state === 'absent' ? {} : pathInfo(st, facts.real)) };
  }
  const fail = state === 'directory' ? `There was an issue creating ${infoPath} as requested: ` : 'Error while linking: ';
  const [st] = await applyOrFail(ctx.conn, job.commands, { paths: [infoPath] }, fail, { path: infoPath });
  if (state === 'absent') return result;
  return { ...result, ...pathInfo(st as PathStat, followed(st as PathStat)) };
}

/** What os.stat would see, as far as pathInfo needs it (existence of a link's target). */
function followed(st: PathStat): PathStat {
  return st.type === 'link' ? { ...st, exists: st.linkTargetExists === true } : st;
}

function withInfo(res: ModuleResult, st: PathStat | undefined): ModuleResult {
  if (!st || (res.path === undefined && res.dest === undefined)) return res;
  return { ...res, ...pathInfo(st) };
}

/**
 * Runs the file module from another module (copy/template's "unchanged content" path).
 * `preProbed` are facts the caller already has (same options as state=file would probe).
 */
export async function runFileModule(ctx: ModuleContext, raw: Record<string, unknown>, preProbed: PreProbed[] = []): Promise<ModuleResult> {
  const picked = Object.fromEntries(Object.entries(raw).filter(([k, v]) => k in fileSpec && v !== null && v !== undefined));
  const args = validateArgs('file', fileSpec, picked);
  const res = await catchFail(() => runFile(args, ctx, preProbed), (r) => addPathInfo(ctx.conn, r));
  if (res.failed) throw new ModuleFail(String(res.msg), res);
  return res;
}

export const fileModule: ModuleDef = {
  name: 'file',
  spec: fileSpec,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runFile(args, ctx), (r) => addPathInfo(ctx.conn, r)),
};
