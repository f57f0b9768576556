// Atomic writes on the target: upload beside the destination, validate, back up the old
// file, give the temp file its final mode/owner, then rename over the destination.
import { randomBytes } from 'crypto';
import * as path from 'path';
import type { Connection } from '../../connection/types';
import { shJoin, shQuote, shSplit } from '../../connection/quote';
import { ModuleFail } from './fail';
import { parseProbe, probeScript } from './probe';
import type { PathStat, ProbeRequest } from './probe';

export interface AtomicWriteOptions {
  dest: string;
  content: Buffer | string;
  /** Keep a copy of the previous file as dest.<pid>.<YYYY-MM-DD@HH:MM:SS~>. */
  backup?: boolean;
  /** Command with %s for the temp path; the write fails when it exits non-zero. */
  validate?: string | null;
  /** Final attributes (already resolved); unset ones keep the old file's or the umask default. */
  mode?: number | null;
  uid?: number | null;
  gid?: number | null;
  /** Secret content (private keys): the temp file is created 0600 before any byte is written. */
  secret?: boolean;
  /** Paths to stat after the rename, in the same exec. */
  restat?: ProbeRequest;
  /** sh that fills the temp file ($_t) first (copy remote_src); failing, `failMsg` + its stderr. */
  prepare?: { script: string; failMsg: string };
}

export interface AtomicWriteResult {
  backupFile?: string;
  /** The restat paths' stats, when asked. */
  stats?: PathStat[];
}

/** A temp path beside dest, unpredictable so no one can pre-create it. */
export function tempPathBeside(dest: string): string {
  return path.posix.join(path.posix.dirname(dest), `.tsible_tmp_${randomBytes(8).toString('hex')}`);
}

/** sh lines that back up `dest` when it exists, printing "BACKUP <path>" (Ansible's naming). */
export function backupScript(dest: string): string {
  const d = shQuote(dest);
  return `if [ -e ${d} ]; then _b=${d}.$$.$(date +%Y-%m-%d@%H:%M:%S~); cp -p -- ${d} "$_b" && printf 'BACKUP %s\\n' "$_b"; fi\n`;
}

export function parseBackup(stdout: string): string | undefined {
  const m = /^BACKUP (.*)$/m.exec(stdout);
  return m ? m[1] : undefined;
}

/** Content up to this size travels on the finishing exec's stdin (one round trip); larger uses put(). */
const INLINE_UPLOAD_LIMIT = 1 << 20;

/** The validate command line for `file`, as Ansible runs it (no shell, shlex-split). */
function validateCommand(validate: string, file: string): string {
  if (!validate.includes('%s')) throw new ModuleFail(`validate must contain %s: ${validate}`);
  return shJoin(shSplit(validate.split('%s').join(file)));
}

function validateFailure(rc: number, stdout: string, stderr: string): ModuleFail {
  const lines = (t: string) => t.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '');
  return new ModuleFail('failed to validate', { exit_status: rc, stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr) });
}

/** Runs a validate command against `file` the way Ansible does (no shell, shlex-split). */
export async function runValidate(conn: Connection, validate: string, file: string): Promise<void> {
  const r = await conn.exec(validateCommand(validate, file) + '\n');
  if (r.rc !== 0) throw validateFailure(r.rc, r.stdout, r.stderr);
}

/** Writes content to dest atomically; returns the backup file name when one was made. */
export async function atomicWrite(conn: Connection, opts: AtomicWriteOptions): Promise<AtomicWriteResult> {
  const tmp = tempPathBeside(opts.dest);
  const bytes = Buffer.isBuffer(opts.content) ? opts.content : Buffer.from(opts.content);
  if (bytes.length <= INLINE_UPLOAD_LIMIT) return finish(conn, tmp, opts, bytes);
  try {
    if (opts.secret) {
      const r = await conn.exec(`umask 077 && cat > ${shQuote(tmp)}\n`, { stdin: bytes });
      if (r.rc !== 0) throw new Error(r.stderr.trim());
    } else {
      await conn.put(bytes, tmp);
    }
  } catch (e) {
    throw new ModuleFail(`Could not write to ${opts.dest}: ${(e as Error).message}`);
  }
  return finish(conn, tmp, opts);
}

/** Validates a temp file already beside dest, backs dest up, sets attributes and renames it over dest. */
export function finalizeTemp(conn: Connection, tmp: string, opts: Omit<AtomicWriteOptions, 'content'>): Promise<AtomicWriteResult> {
  return finish(conn, tmp, opts);
}

const VALIDATE_START = 'TSIBLE-VALIDATE-START';
const VALIDATE_END = '\u0001TSIBLE-VALIDATE-END';

/** The sh of an atomic write finishing `tmp` (receiving it on stdin first when `upload`). */
function finishLines(tmp: string, opts: Omit<AtomicWriteOptions, 'content'>, upload: boolean): string[] {
  const t = shQuote(tmp);
  const d = shQuote(opts.dest);
  const validate = opts.validate ? validateCommand(opts.validate, tmp) : '';
  const hasMode = opts.mode !== null && opts.mode !== undefined;
  return [
    `_t=${t}; trap 'rm -f -- "$_t"' EXIT`,
    upload ? `${opts.secret ? '(umask 077 && cat > ' + t + ')' : 'cat > ' + t} || { echo 'UPLOAD-FAILED'; exit 1; }` : '',
    opts.prepare ? `{ ${opts.prepare.script}\n} || { echo 'PREPARE-FAILED'; exit 1; }` : '',
    // the validator's stdout between markers, its stderr is the exec's: both reported on failure
    validate ? `printf '%s\\n' ${VALIDATE_START}; ${validate}; _tsv=$?; printf '\\001%s %s\\n' ${VALIDATE_END.slice(1)} "$_tsv"; [ "$_tsv" = 0 ] || exit 3` : '',
    opts.backup ? backupScript(opts.dest).trimEnd() : '',
    // a new file gets the umask default; a replaced one keeps its old mode and owner (a wanted
    // mode is set directly, so a secret temp file is never widened on the way)
    hasMode
      ? `if [ -e ${d} ]; then chown --reference=${d} -- ${t} 2>/dev/null; fi`
      : `if [ -e ${d} ]; then chmod --reference=${d} -- ${t} 2>/dev/null; chown --reference=${d} -- ${t} 2>/dev/null; ` +
        `else chmod "$(printf %o $((0666 & ~$(umask))))" -- ${t}; fi`,
    hasMode ? shJoin(['chmod', (opts.mode as number).toString(8), '--', tmp]) + ' || exit 1' : '',
    opts.uid !== null && opts.uid !== undefined ? shJoin(['chown', String(opts.uid), '--', tmp]) + ' || exit 1' : '',
    opts.gid !== null && opts.gid !== undefined ? shJoin(['chgrp', String(opts.gid), '--', tmp]) + ' || exit 1' : '',
    `mv -fT -- ${t} ${d} || exit 1`,
    opts.restat ? probeScript(opts.restat).trimEnd() : '',
  ].filter(Boolean);
}

/**
 * sh writing its stdin to dest atomically (as one step among others: no validate, no
 * restat); the content goes on that exec's stdin.
 */
export function stdinWriteScript(opts: Omit<AtomicWriteOptions, 'content' | 'validate' | 'restat'>): string {
  return finishLines(tempPathBeside(opts.dest), opts, true).join('\n');
}

/**
 * One exec: (receive the bytes on stdin,) validate, back up, give the temp file its mode and
 * owner, rename it over dest, and stat what the caller asks (restat).
 */
async function finish(conn: Connection, tmp: string, opts: Omit<AtomicWriteOptions, 'content'>, upload?: Buffer): Promise<AtomicWriteResult> {
  const validate = !!opts.validate;
  const lines = finishLines(tmp, opts, upload !== undefined);
  const r = await conn.exec(lines.join('\n') + '\n', upload ? { stdin: upload } : {});
  if (validate) {
    const at = r.stdout.indexOf(VALIDATE_START + '\n');
    const end = r.stdout.indexOf(VALIDATE_END);
    if (at >= 0 && end >= 0) {
      const m = /^ (\d+)/.exec(r.stdout.slice(end + VALIDATE_END.length));
      const rc = Number(m?.[1] ?? 1);
      if (rc !== 0) throw validateFailure(rc, r.stdout.slice(at + VALIDATE_START.length + 1, end), r.stderr);
    }
  }
  if (r.rc !== 0) {
    if (/^UPLOAD-FAILED$/m.test(r.stdout)) throw new ModuleFail(`Could not write to ${opts.dest}: ${r.stderr.trim()}`);
    if (opts.prepare && /^PREPARE-FAILED$/m.test(r.stdout)) throw new ModuleFail(`${opts.prepare.failMsg}${r.stderr.trim()}`);
    throw new ModuleFail(`Could not replace file: ${opts.dest}: ${r.stderr.trim()}`);
  }
  const backupFile = parseBackup(r.stdout);
  const res: AtomicWriteResult = backupFile ? { backupFile } : {};
  if (opts.restat) res.stats = parseProbe(opts.restat, r.stdout).stats;
  return res;
}
