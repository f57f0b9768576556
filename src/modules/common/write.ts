// Atomic writes on the target: upload beside the destination, validate, back up the old
// file, give the temp file its final mode/owner, then rename over the destination.
import { randomBytes } from 'crypto';
import * as path from 'path';
import type { Connection } from '../../connection/types';
import { shJoin, shQuote, shSplit } from '../../connection/quote';
import { ModuleFail } from './fail';

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
}

export interface AtomicWriteResult {
  backupFile?: string;
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

/** Runs a validate command against `file` the way Ansible does (no shell, shlex-split). */
export async function runValidate(conn: Connection, validate: string, file: string): Promise<void> {
  if (!validate.includes('%s')) throw new ModuleFail(`validate must contain %s: ${validate}`);
  const argv = shSplit(validate.split('%s').join(file));
  const r = await conn.exec(shJoin(argv) + '\n');
  if (r.rc !== 0) {
    throw new ModuleFail('failed to validate', {
      exit_status: r.rc,
      stdout: r.stdout,
      stderr: r.stderr,
      stdout_lines: r.stdout.split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''),
      stderr_lines: r.stderr.split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''),
    });
  }
}

/** Writes content to dest atomically; returns the backup file name when one was made. */
export async function atomicWrite(conn: Connection, opts: AtomicWriteOptions): Promise<AtomicWriteResult> {
  const tmp = tempPathBeside(opts.dest);
  try {
    if (opts.secret) {
      const r = await conn.exec(`umask 077 && cat > ${shQuote(tmp)}\n`, { stdin: opts.content });
      if (r.rc !== 0) throw new Error(r.stderr.trim());
    } else {
      await conn.put(opts.content, tmp);
    }
  } catch (e) {
    throw new ModuleFail(`Could not write to ${opts.dest}: ${(e as Error).message}`);
  }
  return finalizeTemp(conn, tmp, opts);
}

/** Validates a temp file already beside dest, backs dest up, sets attributes and renames it over dest. */
export async function finalizeTemp(
  conn: Connection,
  tmp: string,
  opts: Omit<AtomicWriteOptions, 'content'>,
): Promise<AtomicWriteResult> {
  const t = shQuote(tmp);
  const d = shQuote(opts.dest);
  try {
    if (opts.validate) await runValidate(conn, opts.validate, tmp);
  } catch (e) {
    await conn.exec(`rm -f -- ${t}\n`);
    throw e;
  }
  const hasMode = opts.mode !== null && opts.mode !== undefined;
  const lines = [
    `_t=${t}; trap 'rm -f -- "$_t"' EXIT`,
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
  ].filter(Boolean);
  const r = await conn.exec(lines.join('\n') + '\n');
  if (r.rc !== 0) throw new ModuleFail(`Could not replace file: ${opts.dest}: ${r.stderr.trim()}`);
  const backupFile = parseBackup(r.stdout);
  return backupFile ? { backupFile } : {};
}
