// What a crypto module needs to know about the target, in one exec: the stat and bytes of
// the file it manages, whether its directory exists, and the bytes of its input files
// (private key, CSR, CA certificate and key), which community.crypto reads on the target.
import type { Connection } from '../../connection/types';
import { shQuote } from '../../connection/quote';
import { parseProbe, probeScript } from '../common/probe';
import type { PathStat, ProbeResult } from '../common/probe';
import { attrNames } from '../common/attrs';
import { CryptoError } from './errors';

export type FileRead = { ok: true; content: Buffer } | { ok: false; errno: 'ENOENT' | 'EACCES' | 'EISDIR' };

export interface TargetSnapshot {
  /** stat of the managed file (following links); absent when the module manages no file. */
  stat: PathStat | null;
  /** Bytes of the managed file; null when it does not exist. */
  content: Buffer | null;
  /** Does the managed file's directory exist? */
  parentIsDir: boolean;
  inputs: Map<string, FileRead>;
  names: Pick<ProbeResult, 'uids' | 'gids'>;
}

const STRERROR = {
  ENOENT: [2, 'No such file or directory'],
  EACCES: [13, 'Permission denied'],
  EISDIR: [21, 'Is a directory'],
} as const;

/** Python's str(IOError) for a failed open(): "[Errno 2] No such file or directory: '/x'". */
export function ioErrorText(errno: keyof typeof STRERROR, path: string): string {
  const [n, text] = STRERROR[errno];
  return `[Errno ${n}] ${text}: '${path}'`;
}

const dirnameOf = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
};

/** Reads everything in one round trip. `args` supplies owner/group names to resolve. */
export async function snapshotTarget(
  conn: Connection,
  managed: string | null,
  inputs: readonly string[],
  args: Record<string, unknown> = {},
): Promise<TargetSnapshot> {
  const names = attrNames({ owner: (args.owner as string | null) ?? null, group: (args.group as string | null) ?? null });
  const req = { paths: managed === null ? [] : [managed], follow: true, ...names };
  const files = managed === null ? [...inputs] : [managed, ...inputs];
  const lines = [
    probeScript(req).trimEnd(),
    `_rf() { if [ -f "$2" ] && [ -r "$2" ]; then printf 'F %s + ' "$1"; base64 -w0 < "$2"; echo; ` +
      `elif [ -d "$2" ]; then echo "F $1 EISDIR"; elif [ -e "$2" ]; then echo "F $1 EACCES"; else echo "F $1 ENOENT"; fi; }`,
    ...files.map((f, i) => `_rf ${i} ${shQuote(f)}`),
  ];
  if (managed !== null) lines.push(`[ -d ${shQuote(dirnameOf(managed))} ] && echo PARENT`);
  const r = await conn.exec(lines.join('\n') + '\n');
  const parsed = parseProbe(req, r.stdout);
  const reads = new Map<number, FileRead>();
  for (const line of r.stdout.split('\n')) {
    const m = /^F (\d+) (\+ (.*)|ENOENT|EACCES|EISDIR)$/.exec(line);
    if (!m) continue;
    const read: FileRead = m[3] !== undefined ? { ok: true, content: Buffer.from(m[3], 'base64') } : { ok: false, errno: m[2] as 'ENOENT' };
    reads.set(Number(m[1]), read);
  }
  const offset = managed === null ? 0 : 1;
  const inputMap = new Map<string, FileRead>();
  inputs.forEach((p, i) => inputMap.set(p, reads.get(i + offset) ?? { ok: false, errno: 'ENOENT' }));
  const own = managed === null ? undefined : reads.get(0);
  return {
    stat: managed === null ? null : (parsed.stats[0] as PathStat),
    content: own && own.ok ? own.content : null,
    parentIsDir: managed === null ? true : /^PARENT$/m.test(r.stdout),
    inputs: inputMap,
    names: parsed,
  };
}

/** The bytes of an input file, or a CryptoError with Python's IOError text. */
export function inputBytes(snap: TargetSnapshot, path: string): Buffer {
  const read = snap.inputs.get(path);
  if (!read) throw new CryptoError(ioErrorText('ENOENT', path));
  if (!read.ok) throw new CryptoError(ioErrorText(read.errno, path));
  return read.content;
}

export function inputExists(snap: TargetSnapshot, path: string): boolean {
  const read = snap.inputs.get(path);
  return !!read && (read.ok || read.errno !== 'ENOENT');
}

/** community.crypto's check that the managed file's directory exists. */
export function requireParentDir(snap: TargetSnapshot, path: string, quoted = false): void {
  if (snap.parentIsDir) return;
  const dir = dirnameOf(path);
  const shown = quoted ? `'${dir}'` : dir;
  throw new CryptoError(`The directory ${shown} does not exist or the file is not a directory`, { name: dir });
}
