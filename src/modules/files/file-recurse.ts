// recurse=yes for file state=directory: stat every descendant in one exec and plan the
// owner/group/mode/timestamp fixes for each (links get lchown; their mode is untouchable).
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';
import { octalMode, planAttrs, typeFromMode } from '../common';
import type { FileAttrArgs, PathStat, ProbeResult } from '../common';
import { planTimes } from './timestamps';
import type { WantedTime } from './timestamps';

/** sh listing every descendant of root with what planTree needs: one find(1), no stat per file. */
export function treeScript(root: string): string {
  return `find ${shQuote(root)} -mindepth 1 -printf 'TR %y %m %U %G %n %T@ %A@ %p\\n'\n`;
}

const TYPE_BITS: Record<string, number> = { f: 0o100000, d: 0o040000, l: 0o120000, p: 0o010000, s: 0o140000, c: 0o020000, b: 0o060000 };

export function parseTree(stdout: string): PathStat[] {
  const out: PathStat[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^TR (\w) ([0-7]+) (\d+) (\d+) (\d+) (\S+) (\S+) (.*)$/.exec(line);
    if (!m) continue;
    const raw = (TYPE_BITS[m[1] as string] ?? 0) | parseInt(m[2] as string, 8);
    out.push({
      path: m[8] as string, exists: true, type: typeFromMode(raw), rawMode: raw, modeBits: raw & 0o7777, mode: octalMode(raw),
      uid: Number(m[3]), gid: Number(m[4]), nlink: Number(m[5]), mtime: Number(m[6]), atime: Number(m[7]),
      owner: '', group: '', size: 0, ctime: 0, inode: 0, dev: 0, readable: true, writeable: true, executable: false,
    });
  }
  return out;
}

export async function statTree(conn: Connection, root: string): Promise<PathStat[]> {
  return parseTree((await conn.exec(treeScript(root))).stdout);
}

/**
 * recurse with follow=yes: what the links of the tree lead to (the targets, and everything
 * inside linked directories), as paths through the links; `tree` is the plain listing.
 */
export async function statFollowed(conn: Connection, root: string, tree: readonly PathStat[]): Promise<PathStat[]> {
  if (!tree.some((st) => st.type === 'link')) return [];
  const r = await conn.exec(`find -L ${shQuote(root)} -mindepth 1 -printf 'TR %y %m %U %G %n %T@ %A@ %p\\n' 2>/dev/null\n`);
  const plain = new Map(tree.map((st) => [st.path, st]));
  // a plain entry was planned already; a link's entry now stats its target; a dangling link stays out
  return parseTree(r.stdout).filter((st) => st.type !== 'link' && plain.get(st.path)?.type !== st.type);
}

/** Commands and changed flag for all descendants (their diffs are not reported, as in Ansible). */
export function planTree(
  items: readonly PathStat[],
  args: FileAttrArgs,
  names: Pick<ProbeResult, 'uids' | 'gids'>,
  mtime: WantedTime,
  atime: WantedTime,
  now: number,
  check = false,
  /** Paths through links (follow=yes): chown/chmod act on what they lead to. */
  followed = false,
): { changed: boolean; commands: string[] } {
  let changed = false;
  const commands: string[] = [];
  for (const st of items) {
    const plan = planAttrs(st.path, st, args, names, { noDereference: !followed, check });
    const times = st.type === 'link' ? { changed: false, commands: [] } : planTimes(st.path, st, mtime, atime, now);
    changed ||= plan.changed || times.changed;
    commands.push(...plan.commands, ...times.commands);
  }
  return { changed, commands };
}
