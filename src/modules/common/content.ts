// Reading a target file for content-editing modules (lineinfile, blockinfile, replace,
// assemble): stat (following links), realpath and bytes in one exec.
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';
import { parseProbe, probeScript } from './probe';
import type { PathStat, ProbeResult } from './probe';

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
}

export async function readTarget(
  conn: Connection,
  path: string,
  names: { users: string[]; groups: string[] } = { users: [], groups: [] },
): Promise<TargetFile> {
  const q = shQuote(path);
  const req = { paths: [path], follow: true, ...names };
  const script = [
    probeScript(req).trimEnd(),
    `_r=$(readlink -f -- ${q}); printf 'REAL %s\\n' "$(printf %s "$_r" | base64 -w0)"`,
    `_p=$(dirname -- ${q}); [ -d "$_p" ] && echo PARENT`,
    `if [ -f ${q} ] && [ -r ${q} ]; then printf 'DATA '; base64 -w0 < ${q}; echo; fi`,
  ].join('\n');
  const r = await conn.exec(script + '\n');
  const parsed = parseProbe(req, r.stdout);
  const real = /^REAL (.*)$/m.exec(r.stdout)?.[1] ?? '';
  const data = /^DATA (.*)$/m.exec(r.stdout);
  return {
    st: parsed.stats[0] as PathStat,
    realPath: Buffer.from(real, 'base64').toString('utf8') || path,
    content: data ? Buffer.from(data[1] ?? '', 'base64') : null,
    names: parsed,
    parentExists: /^PARENT$/m.test(r.stdout),
  };
}
