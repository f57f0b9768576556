// The file module's single probe: the path (lstat), its realpath, the link source,
// hard-link inodes, directory emptiness, umask, current time and owner/group names.
import * as path from 'path';
import * as posix from 'path/posix';
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';
import { parseProbe, probeScript, readSizedRecord, realpathScript, sizedRecord } from '../common';
import type { PathStat, ProbeRequest, ProbeResult } from '../common';

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

export interface FileProbeOptions {
  src?: string | null;
  /** state=hard: the inodes of src and path (following links). */
  hard?: boolean;
  /** state=absent: list what a directory holds (for the diff). */
  walk?: boolean;
  /** state=link: is an existing directory empty? */
  emptiness?: boolean;
  /** The target's current time is needed (touch, modification_time, access_time). */
  now?: boolean;
  /** Checksum the path (following a link) when its size is this (copy's unchanged test). */
  checksumIfSize?: number;
  users: string[];
  groups: string[];
}

/**
 * The script of probeFile, and how to read its output. On an existing path that is not a
 * link it forks only stat(1): the realpath comes from `cd -P`, the umask and the caller's
 * uid/gid from the shell, names from /etc/passwd and /etc/group.
 */
export function fileProbeScript(p: string, opts: FileProbeOptions): { script: string; parse: (out: Buffer) => FileFacts } {
  const q = shQuote(p);
  // slots: 0 the path (lstat), 1 its realpath when the path is a link, 2 the absolute src
  const paths = [p, '', ...(opts.src ? [''] : [])];
  const before: string[] = [realpathScript(p), `[ -L ${q} ] && _tsp1=$_tsr`];
  let srcCandidates: [string, string] | undefined;
  if (opts.src) {
    const s = opts.src;
    const join = (base: string) => (s.startsWith('/') ? s : `${base}/${s}`);
    srcCandidates = [join(p), join(posix.dirname(p))];
    before.push(`if [ ! -L ${q} ] && [ -d ${q} ]; then _tsp2=${shQuote(srcCandidates[0])}; echo 'A 0'; else _tsp2=${shQuote(srcCandidates[1])}; echo 'A 1'; fi`);
  }
  const req: ProbeRequest = { paths, users: opts.users, groups: opts.groups };
  if (opts.checksumIfSize !== undefined) Object.assign(req, { checksum: true, expectSize: [opts.checksumIfSize, null, null] });
  const lines = [probeScript(req, before.join('\n')).trimEnd(), sizedRecord('R', '_tsr')];
  if (opts.hard && opts.src) {
    lines.push(`echo "I $(stat -L -c %i -- ${shQuote(opts.src)} 2>/dev/null || echo -) $(stat -L -c %i -- ${q} 2>/dev/null || echo -)"`);
  }
  if (opts.emptiness) {
    lines.push(`if [ -d ${q} ] && [ ! -L ${q} ]; then for _tsf in ${q}/* ${q}/.[!.]* ${q}/..?*; do if [ -e "$_tsf" ] || [ -L "$_tsf" ]; then echo 'E 1'; break; fi; done; fi`);
  }
  lines.push(`printf 'M '; umask`);
  if (opts.now) lines.push(`echo "T $(date +%s.%N)"`);
  // who we are: what the module creates is owned so; /proc/self/status answers without id(1)
  lines.push(
    `_tswu=; [ -r /proc/self/status ] && while read -r _tsk _tsa _tsb _tsc; do case $_tsk in Uid:) _tswu=$_tsb ;; Gid:) _tswg=$_tsb ;; esac; done < /proc/self/status`,
    `[ -n "$_tswu" ] || { _tswu=$(id -u); _tswg=$(id -g); }; echo "W $_tswu $_tswg"`,
  );
  if (opts.walk) {
    lines.push(`[ -d ${q} ] && [ ! -L ${q} ] && find ${q} -mindepth 1 \\( -type d -printf 'WD %p\\n' \\) -o -printf 'WF %p\\n'`);
  }
  return { script: lines.join('\n') + '\n', parse: (out) => parseFileFacts(p, req, opts, srcCandidates, out) };
}

function parseFileFacts(
  p: string,
  req: ProbeRequest,
  opts: FileProbeOptions,
  srcCandidates: [string, string] | undefined,
  bytes: Buffer,
): FileFacts {
  const out = bytes.toString('utf8');
  const realPath = readSizedRecord(bytes, 'R') ?? '';
  const which = /^A ([01])$/m.exec(out)?.[1];
  const absrc = srcCandidates ? srcCandidates[which === '0' ? 0 : 1] : undefined;
  const runtime: Record<number, string> = { 1: realPath };
  if (absrc !== undefined) runtime[2] = absrc;
  const parsed = parseProbe(req, out, runtime);
  const [st, linkReal, srcStat] = parsed.stats as [PathStat, PathStat, PathStat | undefined];
  // realpath of something that is not a link is the thing itself
  const real: PathStat = st.type === 'link' ? { ...linkReal, path: realPath || p } : { ...st, path: realPath || p };
  const inodes = /^I (\S+) (\S+)$/m.exec(out);
  const w = /^W (\d+) (\d+)$/m.exec(out);
  const facts: FileFacts = {
    st,
    real,
    dirNonEmpty: /^E 1$/m.test(out),
    umask: parseInt(/^M (\d+)$/m.exec(out)?.[1] ?? '022', 8),
    now: Number(/^T (\S+)$/m.exec(out)?.[1] ?? Date.now() / 1000),
    names: parsed,
    myUid: Number(w?.[1] ?? 0),
    myGid: Number(w?.[2] ?? 0),
  };
  if (absrc !== undefined && srcStat) {
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

const SECTION = '\u0001TSIBLE-SECTION';

/**
 * Several file probes in one exec, each run only when its `when` sh condition holds (undefined
 * when it did not). Names are resolved by the first probe and shared with the others.
 */
export function multiFileProbe(items: readonly { path: string; opts: FileProbeOptions; when?: string }[]): {
  script: string;
  parse: (out: Buffer) => (FileFacts | undefined)[];
} {
  const parts = items.map((it, i) => fileProbeScript(it.path, i === 0 ? it.opts : { ...it.opts, users: [], groups: [] }));
  const script = parts
    .map((part, i) => {
      const when = items[i]?.when;
      const body = part.script.trimEnd();
      return `printf '\\001%s ${i}\\n' ${SECTION.slice(1)}\n` + (when ? `if ${when}; then\n${body}\nfi` : body);
    })
    .join('\n');
  const parse = (out: Buffer): (FileFacts | undefined)[] => {
    const marker = Buffer.from(SECTION + ' ');
    const starts: number[] = [];
    for (let at = out.indexOf(marker); at >= 0; at = out.indexOf(marker, at + 1)) starts.push(at);
    const res = parts.map((part, i) => {
      const from = starts[i];
      if (from === undefined) return undefined;
      const body = out.subarray(out.indexOf(0x0a, from) + 1, starts[i + 1] ?? out.length);
      return /^M /m.test(body.toString('utf8')) ? part.parse(body) : undefined; // a skipped probe printed nothing
    });
    const first = res[0];
    for (const f of res) if (f && first) f.names = first.names;
    return res;
  };
  return { script: script + '\n', parse };
}

export async function probeFile(conn: Connection, p: string, opts: FileProbeOptions): Promise<FileFacts> {
  const { script, parse } = fileProbeScript(p, opts);
  const r = await conn.exec(script);
  return parse(r.stdoutBytes);
}

export function joinPath(a: string, b: string): string {
  return b.startsWith('/') ? b : path.posix.join(a, b);
}
