// Ansible's file-common-args (owner, group, mode): compare with a probed stat, report
// changed plus the owner/group/mode diff, and produce the sh commands that fix them.
import type { Connection } from '../../connection/types';
import { shJoin } from '../../connection/quote';
import { ModuleFail } from './fail';
import { resolveMode } from './mode';
import type { PathStat, ProbeResult } from './probe';
import { octalMode, statPath } from './probe';
import type { ModuleResult } from '../types';

export interface FileAttrArgs {
  mode?: unknown;
  owner?: string | null;
  group?: string | null;
}

export interface AttrPlan {
  changed: boolean;
  /** Ansible's diff fragments: {owner: uid, group: gid, mode: '0644'}. */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** sh command lines applying the change (empty when nothing differs). */
  commands: string[];
  /** Resolved wanted values (null when not asked for). */
  mode: number | null;
  uid: number | null;
  gid: number | null;
}

/** Names to resolve on the target (pass to probe's users/groups). */
export function attrNames(args: FileAttrArgs): { users: string[]; groups: string[] } {
  return {
    users: args.owner !== null && args.owner !== undefined ? [String(args.owner)] : [],
    groups: args.group !== null && args.group !== undefined ? [String(args.group)] : [],
  };
}

export function lookupUid(owner: string, names: Pick<ProbeResult, 'uids'>, path?: string): number {
  if (/^\d+$/.test(owner)) return Number(owner);
  const uid = names.uids.get(owner);
  if (uid === undefined) throw new ModuleFail(`chown failed: failed to look up user ${owner}`, path === undefined ? {} : { path });
  return uid;
}

export function lookupGid(group: string, names: Pick<ProbeResult, 'gids'>, path?: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  const gid = names.gids.get(group);
  if (gid === undefined) throw new ModuleFail(`chgrp failed: failed to look up group ${group}`, path === undefined ? {} : { path });
  return gid;
}

/**
 * Plans owner/group/mode changes for `path` whose current state is `st` (an lstat unless
 * the caller probed with follow). Throws ModuleFail with Ansible's messages.
 */
export function planAttrs(
  path: string,
  st: PathStat,
  args: FileAttrArgs,
  names: Pick<ProbeResult, 'uids' | 'gids'>,
  opts: { noDereference?: boolean; check?: boolean } = {},
): AttrPlan {
  const plan: AttrPlan = { changed: false, before: {}, after: {}, commands: [], mode: null, uid: null, gid: null };
  const h = opts.noDereference ? ['-h'] : [];
  if (args.owner !== null && args.owner !== undefined) {
    const uid = lookupUid(String(args.owner), names, path);
    plan.uid = uid;
    if (uid !== st.uid) {
      plan.before.owner = st.uid;
      plan.after.owner = uid;
      plan.changed = true;
      plan.commands.push(shJoin(['chown', ...h, String(uid), '--', path]));
    }
  }
  if (args.group !== null && args.group !== undefined) {
    const gid = lookupGid(String(args.group), names, path);
    plan.gid = gid;
    if (gid !== st.gid) {
      plan.before.group = st.gid;
      plan.after.group = gid;
      plan.changed = true;
      plan.commands.push(shJoin(['chgrp', ...h, String(gid), '--', path]));
    }
  }
  if (args.mode !== null && args.mode !== undefined) {
    const mode = resolveMode(args.mode, st.modeBits, st.type === 'directory', path);
    plan.mode = mode;
    if (mode !== st.modeBits) {
      plan.before.mode = octalMode(st.modeBits);
      plan.after.mode = octalMode(mode);
      // symlinks have no mode of their own on Linux: Ansible's chmod attempt leaves the link as it
      // was, so only check mode (which stops before trying) reports a change
      if (!(opts.noDereference && st.type === 'link')) {
        plan.changed = true;
        plan.commands.push(shJoin(['chmod', mode.toString(8), '--', path]));
      } else if (opts.check) plan.changed = true;
    }
  }
  return plan;
}

/** Runs command lines (joined with &&); throws ModuleFail with stderr on failure. */
export async function runCommands(conn: Connection, commands: readonly string[], failPrefix = ''): Promise<void> {
  if (!commands.length) return;
  const r = await conn.exec(commands.join(' &&\n') + '\n');
  if (r.rc !== 0) throw new ModuleFail(`${failPrefix}${r.stderr.trim() || r.stdout.trim() || `rc ${r.rc}`}`);
}

/** The file info Ansible adds to results (add_path_info): uid, gid, owner, group, mode, state, size. */
export function pathInfo(st: PathStat, followed?: PathStat): Record<string, unknown> {
  if (!st.exists || (st.type === 'link' && followed !== undefined && !followed.exists)) return {};
  let state: string;
  if (st.type === 'link') state = 'link';
  else if (st.type === 'directory') state = 'directory';
  else if ((followed ?? st).nlink > 1) state = 'hard';
  else state = 'file';
  return {
    uid: st.uid,
    gid: st.gid,
    owner: st.owner === 'UNKNOWN' ? String(st.uid) : st.owner,
    group: st.group === 'UNKNOWN' ? String(st.gid) : st.group,
    mode: octalMode(st.modeBits),
    state,
    size: st.size,
  };
}

/** pathInfo of an lstat, as add_path_info reports it (a dangling link reports nothing). */
export function pathInfoOf(st: PathStat | undefined): Record<string, unknown> {
  if (!st) return {};
  return pathInfo(st, st.type === 'link' ? { ...st, exists: st.linkTargetExists === true } : undefined);
}

/** Ansible's add_path_info on a result: stats result.path (or dest) and merges the file info. */
export async function addPathInfo(conn: Connection, result: ModuleResult): Promise<ModuleResult> {
  const p = result.path ?? result.dest;
  if (typeof p !== 'string') return result;
  return { ...result, ...pathInfoOf(await statPath(conn, p)) };
}
