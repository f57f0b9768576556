// Reading a target file for content-editing modules (lineinfile, blockinfile, replace,
// assemble): stat (following links), realpath and bytes in one exec.
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';
import * as posix from 'path/posix';
import { parseProbe, probeScript } from './probe';
import type { PathStat, ProbeRequest, ProbeResult } from './probe';
import { readSizedRecord, realpathScript, sizedRecord } from './realpath';

export interface TargetFile {
  /** stat following links (os.path.exists semantics). */
  st: PathStat;
  /** realpath of the path (where Ansible writes). */
  realPath: string;
  /** File bytes, or null when absent / not a regular readable file. */
  content: Buffer | null;
  names: Pick<ProbeResult, 'uids' | 'gids'>;
  /** Does the parent directory exist? */
  parentExists: boolean;
  /** Mode and owner a file created now at the path would get. */
  newFile: { modeBits: number; uid: number; gid: number };
}

/**
 * The script of readTarget and its parser. Also reports what a newly written file would be
 * like (umask, our uid/gid, the parent's stat for a setgid directory), so writers can plan
 * attributes before writing.
 */
export function readTargetScript(
  path: string,
  names: { users: string[]; groups: string[] } = { users: [], groups: [] },
): { script: string; parse: (out: Buffer) => TargetFile } {
  const parent = posix.dirname(path);
  const req: ProbeRequest = { paths: [path, parent], follow: true, ...names };
  const q = shQuote(path);
  const script = [
    probeScript(req).trimEnd(),
    realpathScript(path),
    sizedRecord('REAL', '_tsr'),
    `[ -d ${shQuote(parent)} ] && echo PARENT`,
    `printf 'M '; umask`,
    `[ -r /proc/self/status ] && while read -r _tsk _tsa _tsb _tsc; do case $_tsk in Uid:) _tswu=$_tsb ;; Gid:) _tswg=$_tsb ;; esac; done < /proc/self/status`,
    `[ -n "$_tswu" ] || { _tswu=$(id -u); _tswg=$(id -g); }; echo "W $_tswu $_tswg"`,
    // the bytes come last, raw, after a line of their own
    `if [ -f ${q} ] && [ -r ${q} ]; then echo DATA; cat -- ${q}; fi`,
  ].join('\n');
  return { script: script + '\n', parse: (out) => parseTarget(path, req, out) };
}

/** Reads path: stat (following links), realpath, parent existence and bytes, in one exec. */
export async function readTarget(
  conn: Connection,
  path: string,
  names: { users: string[]; groups: string[] } = { users: [], groups: [] },
): Promise<TargetFile> {
  const { script, parse } = readTargetScript(path, names);
  return parse((await conn.exec(script)).stdoutBytes);
}

/** The records of readTarget's script (the bytes after a `DATA` line are the file). */
function parseTarget(path: string, req: ProbeRequest, out: Buffer): TargetFile {
  let dataAt = out.indexOf('DATA\n');
  while (dataAt > 0 && out[dataAt - 1] !== 0x0a) dataAt = out.indexOf('DATA\n', dataAt + 1);
  const records = dataAt < 0 ? out : out.subarray(0, dataAt);
  const text = records.toString('utf8');
  const parsed = parseProbe(req, text);
  const realPath = readSizedRecord(records, 'REAL') || path;
  const w = /^W (\d+) (\d+)$/m.exec(text);
  const parentStat = parsed.stats[1] as PathStat;
  const umask = parseInt(/^M (\d+)$/m.exec(text)?.[1] ?? '022', 8);
  const uid = Number(w?.[1] ?? 0);
  // a new file's group: the directory's when it is setgid, else ours
  const gid = parentStat.exists && parentStat.modeBits & 0o2000 ? parentStat.gid : Number(w?.[2] ?? 0);
  return {
    st: parsed.stats[0] as PathStat,
    realPath,
    content: dataAt < 0 ? null : out.subarray(dataAt + 5),
    names: parsed,
    parentExists: /^PARENT$/m.test(text),
    newFile: { modeBits: 0o666 & ~umask, uid, gid },
  };
}
