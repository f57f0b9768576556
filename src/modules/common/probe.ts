// One-exec probes of target paths (stat, link target, checksum) and of user/group names,
// so a module learns everything it needs about the target in a single round trip.
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';

export type PathType = 'file' | 'directory' | 'link' | 'other' | 'absent';

export interface PathStat {
  path: string;
  exists: boolean;
  type: PathType;
  /** Permission bits as a 4-digit octal string: '0644'. */
  mode: string;
  /** Permission bits (incl. setuid/setgid/sticky) as a number. */
  modeBits: number;
  /** Full st_mode, file type bits included. */
  rawMode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  mtime: number;
  atime: number;
  ctime: number;
  inode: number;
  dev: number;
  nlink: number;
  /** For symlinks: the target as stored in the link. */
  linkTarget?: string;
  /** sha1 of a regular file (when asked). */
  checksum?: string;
  /** For a symlink probed without follow: does its target exist? */
  linkTargetExists?: boolean;
  /** Readability/writability/executability for the connecting user. */
  readable: boolean;
  writeable: boolean;
  executable: boolean;
}

export interface ProbeRequest {
  paths: readonly string[];
  /** Compute sha1 of regular files. */
  checksum?: boolean;
  /** Follow symlinks (stat -L) instead of describing the link itself. */
  follow?: boolean;
  /** Checksum algorithm tool (sha1sum, md5sum, sha256sum...). */
  checksumTool?: string;
  /** User names (or numeric ids) to resolve to uids. */
  users?: readonly string[];
  /** Group names (or numeric ids) to resolve to gids. */
  groups?: readonly string[];
}

export interface ProbeResult {
  stats: PathStat[];
  /** name → uid; missing when the user does not exist on the target. */
  uids: Map<string, number>;
  gids: Map<string, number>;
}

const S_IFMT = 0o170000;

export function typeFromMode(raw: number): PathType {
  switch (raw & S_IFMT) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'link';
    default:
      return 'other';
  }
}

export function octalMode(bits: number): string {
  return '0' + (bits & 0o7777).toString(8).padStart(3, '0');
}

/** The sh script printing one record per path and per name; usable inside bigger scripts. */
export function probeScript(req: ProbeRequest): string {
  const statFlag = req.follow ? '-L ' : '';
  const tool = req.checksumTool ?? 'sha1sum';
  const lines: string[] = [
    `_tp() { if [ -e "$2" ] || [ -L "$2" ]; then`,
    `  _s=$(stat ${statFlag}-c '%f %u %g %U %G %s %.9Y %.9X %.9Z %i %d %h' -- "$2" 2>/dev/null) || { echo "P $1 -"; return; }`,
    `  _l=-; [ -L "$2" ] && _l=$(readlink -n -- "$2" | base64 -w0) && [ -z "$_l" ] && _l=-`,
    `  _e=0; [ -e "$2" ] && _e=1`,
    `  _c=-; if [ ${req.checksum ? 1 : 0} = 1 ] && [ -f "$2" ] && [ -r "$2" ]; then _c=$(${tool} < "$2" | cut -d' ' -f1); fi`,
    `  _a=''; [ -r "$2" ] && _a=r; [ -w "$2" ] && _a="\${_a}w"; [ -x "$2" ] && _a="\${_a}x"; [ -z "$_a" ] && _a=-`,
    `  echo "P $1 + $_s $_c $_l $_e $_a"`,
    `else echo "P $1 -"; fi; }`,
  ];
  req.paths.forEach((p, i) => lines.push(`_tp ${i} ${shQuote(p)}`));
  (req.users ?? []).forEach((u, i) => lines.push(`echo "U ${i} $(id -u -- ${shQuote(u)} 2>/dev/null || echo -)"`));
  (req.groups ?? []).forEach((g, i) =>
    lines.push(
      `echo "G ${i} $(case ${shQuote(g)} in *[!0-9]*|'') getent group -- ${shQuote(g)} | cut -d: -f3 ;; *) echo ${shQuote(g)} ;; esac | head -n1 | grep . || echo -)"`,
    ),
  );
  return lines.join('\n') + '\n';
}

function absent(path: string): PathStat {
  return {
    path, exists: false, type: 'absent', mode: '', modeBits: 0, rawMode: 0, uid: -1, gid: -1, owner: '', group: '',
    size: 0, mtime: 0, atime: 0, ctime: 0, inode: 0, dev: 0, nlink: 0, readable: false, writeable: false, executable: false,
  };
}

/** Parses the records printed by probeScript (other output lines are ignored). */
export function parseProbe(req: ProbeRequest, stdout: string): ProbeResult {
  const stats = req.paths.map((p) => absent(p));
  const uids = new Map<string, number>();
  const gids = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const f = line.split(' ');
    const idx = Number(f[1]);
    if (f[0] === 'P' && f[2] === '+' && f.length >= 19) {
      const path = req.paths[idx];
      if (path === undefined) continue;
      const raw = parseInt(f[3] as string, 16);
      const link = f[16] as string;
      const access = f[18] as string;
      const st: PathStat = {
        path,
        exists: true,
        type: typeFromMode(raw),
        rawMode: raw,
        modeBits: raw & 0o7777,
        mode: octalMode(raw),
        uid: Number(f[4]),
        gid: Number(f[5]),
        owner: f[6] as string,
        group: f[7] as string,
        size: Number(f[8]),
        mtime: Number(f[9]),
        atime: Number(f[10]),
        ctime: Number(f[11]),
        inode: Number(f[12]),
        dev: Number(f[13]),
        nlink: Number(f[14]),
        readable: access.includes('r'),
        writeable: access.includes('w'),
        executable: access.includes('x'),
      };
      if (f[15] !== '-') st.checksum = f[15];
      if (link !== '-') st.linkTarget = Buffer.from(link, 'base64').toString('utf8');
      if (st.type === 'link') st.linkTargetExists = f[17] === '1';
      stats[idx] = st;
    } else if (f[0] === 'U' && f[2] !== undefined && f[2] !== '-') {
      const name = req.users?.[idx];
      if (name !== undefined) uids.set(name, Number(f[2]));
    } else if (f[0] === 'G' && f[2] !== undefined && f[2] !== '-') {
      const name = req.groups?.[idx];
      if (name !== undefined) gids.set(name, Number(f[2]));
    }
  }
  return { stats, uids, gids };
}

/** Probes paths (and resolves names) in one exec. */
export async function probe(conn: Connection, req: ProbeRequest): Promise<ProbeResult> {
  const r = await conn.exec(probeScript(req));
  return parseProbe(req, r.stdout);
}

/** Convenience: stat one path. */
export async function statPath(conn: Connection, path: string, opts: { checksum?: boolean; follow?: boolean } = {}): Promise<PathStat> {
  const res = await probe(conn, { paths: [path], ...opts });
  return res.stats[0] as PathStat;
}
