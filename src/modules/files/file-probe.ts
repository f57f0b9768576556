// The file module's single probe: the path (lstat), its realpath, the link source,
// hard-link inodes, directory emptiness, umask, current time and owner/group names.
import * as path from 'path';
import * as posix from 'path/posix';
import { parseTree, treeScript } from './file-recurse';
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
  /** recurse=yes: the stats of everything below the directory. */
  tree?: PathStat[];
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
  /** recurse=yes: stat everything below a directory path too. */
  tree?: boolean;
  /** Checksum the path (following a link) when its size is this (copy's unchanged test). */
  checksumIfSize?: number;
  users: string[];
  groups: string[];
}

/** One more path for a combined probe: stat, realpath, checksum; only `when` its sh test holds. */
export interface ExtraPath {
  path: string;
  checksumIfSize?: number;
  when?: string;
}

/**
 * The script of probeFile, and how to read its output. On an existing path that is not a
 * link it forks only stat(1): the realpath comes from `cd -P`, the umask and the caller's
 * uid/gid from the shell, names from /etc/passwd and /etc/group. `extra` paths share the
 * same stat(1) and get facts of their own (undefined when their `when` was false).
 */
export function fileProbeScript(
  p: string,
  opts: FileProbeOptions,
  extra: readonly ExtraPath[] = [],
): { script: string; parse: (out: Buffer) => FileFacts; parseAll: (out: Buffer) => (FileFacts | undefined)[] } {
  const q = shQuote(p);
  const items: ExtraPath[] = [{ path: p, ...(opts.checksumIfSize !== undefined ? { checksumIfSize: opts.checksumIfSize } : {}) }, ...extra];
  // slots: 2k the item's path (lstat), 2k+1 its realpath when it is a link; then the absolute src
  const paths = items.flatMap((it) => (it.when ? ['', ''] : [it.path, '']));
  const srcSlot = paths.length;
  const before: string[] = [];
  items.forEach((it, k) => {
    const iq = shQuote(it.path);
    const body = `${it.when ? `_tsp${2 * k}=${iq}; ` : ''}${realpathScript(it.path, `_tsr${k}`)}; [ -L ${iq} ] && _tsp${2 * k + 1}=$_tsr${k}; echo 'K ${k}'`;
    before.push(it.when ? `if ${it.when}; then ${body}; fi` : body);
  });
  let srcCandidates: [string, string] | undefined;
  if (opts.src) {
    const src = opts.src;
    const join = (base: string) => (src.startsWith('/') ? src : `${base}/${src}`);
    srcCandidates = [join(p), join(posix.dirname(p))];
    paths.push('');
    before.push(`if [ ! -L ${q} ] && [ -d ${q} ]; then _tsp${srcSlot}=${shQuote(srcCandidates[0])}; echo 'A 0'; else _tsp${srcSlot}=${shQuote(srcCandidates[1])}; echo 'A 1'; fi`);
  }
  const req: ProbeRequest = { paths, users: opts.users, groups: opts.groups };
  if (items.some((it) => it.checksumIfSize !== undefined)) {
    req.checksum = true;
    req.expectSize = paths.map((_, i) => (i % 2 === 0 && i < srcSlot ? (items[i / 2]?.checksumIfSize ?? null) : null));
  }
  const lines = [probeScript(req, before.join('\n')).trimEnd(), ...items.map((_, k) => sizedRecord(`R${k}`, `_tsr${k}`))];
  if (opts.hard && opts.src) {
    // the inodes as stat -L sees them; only links (or a relative src) need a look of their own
    const sq = shQuote(opts.src);
    const look = `echo "I $(stat -L -c %i -- ${sq} 2>/dev/null || echo -) $(stat -L -c %i -- ${q} 2>/dev/null || echo -)"`;
    lines.push(opts.src.startsWith('/') ? `if [ -L ${sq} ] || [ -L ${q} ]; then ${look}; fi` : look);
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
  if (opts.tree) lines.push(`if [ -d ${q} ]; then ${treeScript(p).trimEnd()}; fi`);
  const parseAll = (out: Buffer) => parseFileFacts(items, req, opts, srcCandidates, out);
  return { script: lines.join('\n') + '\n', parse: (out) => parseAll(out)[0] as FileFacts, parseAll };
}

function parseFileFacts(
  items: readonly ExtraPath[],
  req: ProbeRequest,
  opts: FileProbeOptions,
  srcCandidates: [string, string] | undefined,
  bytes: Buffer,
): (FileFacts | undefined)[] {
  const out = bytes.toString('utf8');
  const which = /^A ([01])$/m.exec(out)?.[1];
  const absrc = srcCandidates ? srcCandidates[which === '0' ? 0 : 1] : undefined;
  const realPaths = items.map((_, k) => readSizedRecord(bytes, `R${k}`) ?? '');
  const runtime: Record<number, string> = {};
  items.forEach((it, k) => {
    runtime[2 * k] = it.path;
    runtime[2 * k + 1] = realPaths[k] as string;
  });
  if (absrc !== undefined) runtime[2 * items.length] = absrc;
  const parsed = parseProbe(req, out, runtime);
  const inodes = /^I (\S+) (\S+)$/m.exec(out);
  const w = /^W (\d+) (\d+)$/m.exec(out);
  const common = {
    umask: parseInt(/^M (\d+)$/m.exec(out)?.[1] ?? '022', 8),
    now: Number(/^T (\S+)$/m.exec(out)?.[1] ?? Date.now() / 1000),
    names: parsed,
    myUid: Number(w?.[1] ?? 0),
    myGid: Number(w?.[2] ?? 0),
  };
  return items.map((it, k) => {
    if (!new RegExp(`^K ${k}$`, 'm').test(out)) return undefined;
    const p = it.path;
    const realPath = realPaths[k] as string;
    const st = parsed.stats[2 * k] as PathStat;
    const linkReal = parsed.stats[2 * k + 1] as PathStat;
    // realpath of something that is not a link is the thing itself
    const real: PathStat = st.type === 'link' ? { ...linkReal, path: realPath || p } : { ...st, path: realPath || p };
    const facts: FileFacts = { st, real, ...common, dirNonEmpty: k === 0 && /^E 1$/m.test(out) };
    if (k > 0) return facts;
    const srcStat = parsed.stats[2 * items.length];
    if (absrc !== undefined && srcStat) {
      facts.absrc = absrc;
      facts.srcStat = srcStat;
    }
    if (opts.hard && opts.src) {
      if (inodes) {
        if (inodes[1] !== '-') facts.srcInode = Number(inodes[1]);
        if (inodes[2] !== '-') facts.pathInode = Number(inodes[2]);
      } else {
        // no links involved: the inodes are those of the stat(1) above
        if (srcStat?.exists) facts.srcInode = srcStat.inode;
        if (st.exists) facts.pathInode = st.inode;
      }
    }
    if (opts.tree) facts.tree = parseTree(out);
    if (opts.walk) {
      facts.walk = {
        directories: [...out.matchAll(/^WD (.*)$/gm)].map((m) => m[1] as string),
        files: [...out.matchAll(/^WF (.*)$/gm)].map((m) => m[1] as string),
      };
    }
    return facts;
  });
}

export async function probeFile(conn: Connection, p: string, opts: FileProbeOptions): Promise<FileFacts> {
  const { script, parse } = fileProbeScript(p, opts);
  const r = await conn.exec(script);
  return parse(r.stdoutBytes);
}

export function joinPath(a: string, b: string): string {
  return b.startsWith('/') ? b : path.posix.join(a, b);
}
