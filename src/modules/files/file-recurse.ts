// recurse=yes for file state=directory: stat every descendant in one exec and plan the
// owner/group/mode/timestamp fixes for each (links get lchown; their mode is untouchable).
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';
import { octalMode, planAttrs, typeFromMode } from '../common';
import type { FileAttrArgs, PathStat, ProbeResult } from '../common';
import { planTimes } from './timestamps';
import type { WantedTime } from './timestamps';

/** sh listing every descendant of root with its stat (one find, stats batched by -exec +). */
export function treeScript(root: string): string {
  return `find ${shQuote(root)} -mindepth 1 -exec stat -c 'TR %f %u %g %h %.9Y %.9X %n' {} +\n`;
}

export function parseTree(stdout: string): PathStat[] {
  const out: PathStat[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^TR ([0-9a-f]+) (\d+) (\d+) (\d+) (\S+) (\S+) (.*)$/.exec(line);
    if (!m) continue;
    const raw = parseInt(m[1] as string, 16);
    out.push({
      path: m[7] as string, exists: true, type: typeFromMode(raw), rawMode: raw, modeBits: raw & 0o7777, mode: octalMode(raw),
      uid: Number(m[2]), gid: Number(m[3]), nlink: Number(m[4]), mtime: Number(m[5]), atime: Number(m[6]),
      owner: '', group: '', size: 0, ctime: 0, inode: 0, dev: 0, readable: true, writeable: true, executable: false,
    });
  }
  return out;
}

export async function statTree(conn: Connection, root: string): Promise<PathStat[]> {
  return parseTree((await conn.exec(treeScript(root))).stdout);
}

/** Commands and changed flag for all descendants (their diffs are not reported, as in Ansible). */
export function planTree(
  items: readonly PathStat[],
  args: FileAttrArgs,
  names: Pick<ProbeResult, 'uids' | 'gids'>,
  mtime: WantedTime,
  atime: WantedTime,
  now: number,
): { changed: boolean; commands: string[] } {
  let changed = false;
  const commands: string[] = [];
  for (const st of items) {
    const plan = planAttrs(st.path, st, args, names, { noDereference: true });
    const times = st.type === 'link' ? { changed: false, commands: [] } : planTimes(st.path, st, mtime, atime, now);
    changed ||= plan.changed || times.changed;
    commands.push(...plan.commands, ...times.commands);
  }
  return { changed, commands };
}
