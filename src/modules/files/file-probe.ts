// The file module's single probe: the path (lstat), its realpath, the link source,
// hard-link inodes, directory emptiness, umask, current time and owner/group names.
import * as path from 'path';
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';
import { parseProbe, probeScript } from '../common';
import type { PathStat, ProbeResult } from '../common';

export interface FileFacts {
  st: PathStat;
  /** stat of realpath(path) (follows every link). */
  real: PathStat;
  /** For link/hard: the src as Ansible resolves it (absrc) and its lstat. */
  absrc?: string;
  srcStat?: PathStat;
  srcInode?: number;
  pathInode?: number;
  dirNonEmpty: boolean;
  umask: number;
  now: number;
  /** uid/gid of the connecting user: owner of anything the module creates. */
  myUid: number;
  myGid: number;
  names: Pick<ProbeResult, 'uids' | 'gids'>;
  /** For removing a directory: what it contains (diff path_content). */
  walk?: { directories: string[]; files: string[] };
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** os.path.exists semantics (follows links). */
export function existsFollowing(st: PathStat | undefined): boolean {
  return !!st && st.exists && (st.type !== 'link' || st.linkTargetExists === true);
}

/** Ansible's get_state(): link, directory, hard (nlink > 1 of the target), file or absent. */
export function fileState(f: FileFacts): string {
  if (!f.st.exists) return 'absent';
  if (f.st.type === 'link') return 'link';
  if (f.st.type === 'directory') return 'directory';
  return f.st.nlink > 1 ? 'hard' : 'file';
}

export async function probeFile(
  conn: Connection,
  p: string,
  opts: { src?: string | null; hard?: boolean; walk?: boolean; users: string[]; groups: string[] },
): Promise<FileFacts> {
  const q = shQuote(p);
  const lines = [probeScript({ paths: [p], users: opts.users, groups: opts.groups }).trimEnd()];
  lines.push(`_r=$(readlink -f -- ${q} 2>/dev/null); printf 'R %s\\n' "$(printf %s "$_r" | base64 -w0)"`);
  lines.push(`[ -n "$_r" ] && _tp 1 "$_r"`);
  if (opts.src) {
    const s = shQuote(opts.src);
    lines.push(`if [ ! -L ${q} ] && [ -d ${q} ]; then _b=${q}; else _b=$(dirname -- ${q}); fi`);
    lines.push(`case ${s} in /*) _a=${s} ;; *) _a="$_b"/${s} ;; esac`);
    lines.push(`printf 'A %s\\n' "$(printf %s "$_a" | base64 -w0)"; _tp 2 "$_a"`);
    if (opts.hard) lines.push(`echo "I $(stat -L -c %i -- ${s} 2>/dev/null || echo -) $(stat -L -c %i -- ${q} 2>/dev/null || echo -)"`);
  }
  lines.push(`echo "E $(ls -A -- ${q} 2>/dev/null | head -c1 | wc -c)"`);
  lines.push(`echo "M $(umask)"`, `echo "T $(date +%s.%N)"`, `echo "W $(id -u) $(id -g)"`);
  if (opts.walk) {
    lines.push(`[ -d ${q} ] && [ ! -L ${q} ] && find ${q} -mindepth 1 \\( -type d -printf 'WD %p\\n' \\) -o -printf 'WF %p\\n'`);
  }
  const r = await conn.exec(lines.join('\n') + '\n');
  const out = r.stdout;
  const realPath = b64(/^R (.*)$/m.exec(out)?.[1] ?? '');
  const absrc = opts.src ? b64(/^A (.*)$/m.exec(out)?.[1] ?? '') : undefined;
  const parsed = parseProbe({ paths: [p, realPath || p, absrc ?? ''], users: opts.users, groups: opts.groups }, out);
  const [st, real, srcStat] = parsed.stats as [PathStat, PathStat, PathStat];
  const inodes = /^I (\S+) (\S+)$/m.exec(out);
  const facts: FileFacts = {
    st,
    real,
    dirNonEmpty: /^E 1$/m.test(out),
    umask: parseInt(/^M (\d+)$/m.exec(out)?.[1] ?? '022', 8),
    now: Number(/^T (\S+)$/m.exec(out)?.[1] ?? Date.now() / 1000),
    names: parsed,
    myUid: Number(/^W (\d+) (\d+)$/m.exec(out)?.[1] ?? 0),
    myGid: Number(/^W (\d+) (\d+)$/m.exec(out)?.[2] ?? 0),
  };
  if (absrc !== undefined) {
    facts.absrc = absrc;
    facts.srcStat = srcStat;
  }
  if (inodes) {
    if (inodes[1] !== '-') facts.srcInode = Number(inodes[1]);
    if (inodes[2] !== '-') facts.pathInode = Number(inodes[2]);
  }
  if (opts.walk) {
    facts.walk = {
      directories: [...out.matchAll(/^WD (.*)$/gm)].map((m) => m[1] as string),
      files: [...out.matchAll(/^WF (.*)$/gm)].map((m) => m[1] as string),
    };
  }
  return facts;
}

export function joinPath(a: string, b: string): string {
  return b.startsWith('/') ? b : path.posix.join(a, b);
}
