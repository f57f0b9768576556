// One-exec probes of target paths and of user/group names, cheap on the target: shell
// builtins, one stat(1) for every path, sha1 only when sizes match, /etc/passwd read by sh.
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';
import { decodeCQuoted } from './c-quoted';

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
  /** sha1 of a regular file (when asked, and when its size matched the expected one). */
  checksum?: string;
  /** For a symlink probed without follow: does its target exist? */
  linkTargetExists?: boolean;
  /** Readability/writability/executability for the connecting user. */
  readable: boolean;
  writeable: boolean;
  executable: boolean;
}

export interface ProbeRequest {
  /** Paths to stat; '' is a slot the caller's `before` code fills at run time ($_tsp<i>). */
  paths: readonly string[];
  /** Compute the checksum of regular files. */
  checksum?: boolean;
  /**
   * Per path: the size the caller expects. The checksum is computed only when the file has
   * this size (a different size already means different content), or when it is a link;
   * null: no checksum for that path.
   */
  expectSize?: readonly (number | null | undefined)[];
  /** Follow symlinks (stat -L) instead of describing the link itself. */
  follow?: boolean;
  /** Checksum tool (sha1sum, md5sum, sha256sum...). */
  checksumTool?: string;
  /** User names to resolve to uids (numeric ids need no lookup and are skipped). */
  users?: readonly string[];
  /** Group names to resolve to gids. */
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

/** stat(1) format: everything a module needs, the C-quoted name (and link target) last. */
const STAT_FORMAT = '%s %f %u %g %h %i %d %.9Y %.9X %.9Z %U %G %N';

const isId = (s: string) => /^\d+$/.test(s);

/**
 * sh for one stat(1) over $_tsp0..$_tsp<n-1> (empty ones skipped), printing per existing
 * path `P <i> <access> <target exists> <stat line>` and `C <i> <sum>  -` for checksums.
 */
function statFunction(req: ProbeRequest): string {
  const n = req.paths.length;
  const exists = req.follow ? '[ -e "$_tsq" ]' : '{ [ -e "$_tsq" ] || [ -L "$_tsq" ]; }';
  const tool = req.checksumTool ?? 'sha1sum';
  return [
    `_tsstat() { set --; _tsx=`,
    `  for _tsi in ${Array.from({ length: n }, (_, i) => i).join(' ')}; do eval "_tsq=\\$_tsp$_tsi"`,
    `    [ -n "$_tsq" ] && ${exists} && { set -- "$@" "$_tsq"; _tsx="$_tsx $_tsi"; }`,
    `  done`,
    `  [ $# -gt 0 ] || return 0`,
    `  _tss=$(LC_ALL=C QUOTING_STYLE=c stat ${req.follow ? '-L ' : ''}-c '${STAT_FORMAT}' -- "$@" 2>/dev/null)`,
    `  set -- $_tsx`,
    `  while IFS= read -r _tsl; do [ -n "$_tsl" ] && [ $# -gt 0 ] || break; _tsi=$1; shift; eval "_tsq=\\$_tsp$_tsi"`,
    `    _tsa=; [ -r "$_tsq" ] && _tsa=r; [ -w "$_tsq" ] && _tsa=\${_tsa}w; [ -x "$_tsq" ] && _tsa=\${_tsa}x`,
    `    _tse=0; [ -e "$_tsq" ] && _tse=1`,
    `    printf 'P %s %s %s %s\\n' "$_tsi" "\${_tsa:--}" "$_tse" "$_tsl"`,
    ...(req.checksum
      ? [
          `    eval "_tsw=\\\${_tsz$_tsi-}"`,
          `    if [ -n "$_tsw" ] && [ -f "$_tsq" ] && [ -r "$_tsq" ] && { [ "$_tsw" = any ] || [ "\${_tsl%% *}" = "$_tsw" ] || [ -L "$_tsq" ]; }; then`,
          `      printf 'C %s ' "$_tsi"; ${tool} < "$_tsq"; fi`,
        ]
      : []),
    `  done <<_TSIBLE_STAT_`,
    `$_tss`,
    `_TSIBLE_STAT_`,
    `}`,
  ].join('\n');
}

/** sh resolving names through a passwd-format database read by the shell, getent for the rest. */
function nameLookup(tag: 'U' | 'G', names: readonly string[], db: 'passwd' | 'group'): string[] {
  const wanted = names.map((name, i) => ({ name, i })).filter((x) => !isId(x.name));
  if (!wanted.length) return [];
  const v = (i: number) => `_ts${tag}${i}`;
  const lines = wanted.map((w) => `${v(w.i)}=`);
  const cases = wanted.map((w) => `${shQuote(w.name)}) [ -n "$${v(w.i)}" ] || ${v(w.i)}=$_tsd ;;`).join(' ');
  lines.push(`[ -r /etc/${db} ] && while IFS=: read -r _tsn _tsy _tsd _tsr; do case $_tsn in ${cases} esac; done < /etc/${db}`);
  for (const w of wanted) {
    // not in the file (LDAP, NIS...): ask NSS, the only fork, and only for such names
    lines.push(
      `[ -n "$${v(w.i)}" ] || { ${v(w.i)}=$(getent ${db} ${shQuote(w.name)} 2>/dev/null) && ${v(w.i)}=\${${v(w.i)}#*:*:} && ${v(w.i)}=\${${v(w.i)}%%:*}; }`,
      `printf '${tag} ${w.i} %s\\n' "\${${v(w.i)}:--}"`,
    );
  }
  return lines;
}

/**
 * The sh script printing one record per path and per name; usable inside bigger scripts.
 * `before` runs after the literal paths are assigned and may fill '' slots ($_tsp<i>).
 */
export function probeScript(req: ProbeRequest, before = ''): string {
  const lines: string[] = [];
  req.paths.forEach((p, i) => {
    lines.push(`_tsp${i}=${p === '' ? '' : shQuote(p)}`);
    const size = req.expectSize?.[i];
    if (req.checksum && size !== null) lines.push(`_tsz${i}=${size === undefined ? 'any' : String(size)}`);
    else lines.push(`_tsz${i}=`);
  });
  if (before) lines.push(before);
  if (req.paths.length) lines.push(statFunction(req), '_tsstat');
  lines.push(...nameLookup('U', req.users ?? [], 'passwd'), ...nameLookup('G', req.groups ?? [], 'group'));
  return lines.join('\n') + '\n';
}

function absent(path: string): PathStat {
  return {
    path, exists: false, type: 'absent', mode: '', modeBits: 0, rawMode: 0, uid: -1, gid: -1, owner: '', group: '',
    size: 0, mtime: 0, atime: 0, ctime: 0, inode: 0, dev: 0, nlink: 0, readable: false, writeable: false, executable: false,
  };
}

/**
 * Parses one `P` record: `P <i> <access> <target exists> <STAT_FORMAT fields>`; null when
 * malformed. `name` is the path as stat printed it, `target` a link's target.
 */
export function parseStatRecord(line: string): { index: number; name: string; stat: PathStat } | null {
  const f = line.split(' ');
  if (f.length < 17 || f[0] !== 'P') return null;
  const names = decodeCQuoted(f.slice(16).join(' '));
  if (!names) return null;
  const raw = parseInt(f[5] as string, 16);
  const access = f[2] as string;
  const st: PathStat = {
    path: names.name,
    exists: true,
    type: typeFromMode(raw),
    rawMode: raw,
    modeBits: raw & 0o7777,
    mode: octalMode(raw),
    size: Number(f[4]),
    uid: Number(f[6]),
    gid: Number(f[7]),
    nlink: Number(f[8]),
    inode: Number(f[9]),
    dev: Number(f[10]),
    mtime: Number(f[11]),
    atime: Number(f[12]),
    ctime: Number(f[13]),
    owner: f[14] as string,
    group: f[15] as string,
    readable: access.includes('r'),
    writeable: access.includes('w'),
    executable: access.includes('x'),
  };
  if (names.target !== undefined) st.linkTarget = names.target;
  if (st.type === 'link') st.linkTargetExists = f[3] === '1';
  return { index: Number(f[1]), name: names.name, stat: st };
}

/**
 * Parses the records printed by probeScript (other output lines are ignored). `runtime`
 * gives the paths of '' slots as the caller learnt them from its own records.
 */
export function parseProbe(req: ProbeRequest, stdout: string, runtime: Record<number, string> = {}): ProbeResult {
  const pathOf = (i: number) => req.paths[i] || runtime[i] || '';
  const stats = req.paths.map((_, i) => absent(pathOf(i)));
  const uids = new Map<string, number>();
  const gids = new Map<string, number>();
  const matched = new Set<number>();
  // numeric ids are ids already (as Ansible's int(owner) first): no lookup was made
  for (const u of req.users ?? []) if (isId(u)) uids.set(u, Number(u));
  for (const g of req.groups ?? []) if (isId(g)) gids.set(g, Number(g));
  for (const line of stdout.split('\n')) {
    const tag = line.slice(0, 2);
    if (tag !== 'P ' && tag !== 'C ' && tag !== 'U ' && tag !== 'G ') continue;
    const f = line.split(' ');
    const idx = Number(f[1]);
    if (tag === 'P ') {
      const rec = parseStatRecord(line);
      if (!rec) continue;
      // a path that vanished between the test and stat(1) shifts the lines: match by name
      let at = rec.index;
      if (req.paths[at] !== '' && req.paths[at] !== rec.name) at = req.paths.indexOf(rec.name);
      if (at < 0 || at >= req.paths.length) continue;
      if (at !== rec.index) matched.delete(rec.index);
      else matched.add(at);
      stats[at] = { ...rec.stat, path: pathOf(at) || rec.name };
    } else if (tag === 'C ') {
      const st = stats[idx];
      if (matched.has(idx) && st?.exists && f[2]) st.checksum = f[2];
    } else if (f[2] !== undefined && f[2] !== '-') {
      const name = (tag === 'U ' ? req.users : req.groups)?.[idx];
      if (name !== undefined) (tag === 'U ' ? uids : gids).set(name, Number(f[2]));
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
