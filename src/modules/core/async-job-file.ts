// The job file of an async task on the target (<async_dir>/<jid>, as Ansible keeps them):
// written atomically by the controller's background job, read and removed by async_status.
import { shQuote } from '../../connection/quote';
import type { Connection } from '../../connection/types';
import { TsibleError } from '../../errors';

/** The directory as sh words; a leading ~ expands on the target, as Ansible's shell plugin does. */
function dirWord(dir: string): string {
  if (dir === '~') return '"$HOME"';
  if (dir.startsWith('~/')) return `"$HOME"/${shQuote(dir.slice(2))}`;
  return shQuote(dir);
}

/** Writes the job's JSON (temp file, then rename); returns the file's absolute path on the target. */
export async function writeJobFile(conn: Connection, dir: string, jid: string, data: Record<string, unknown>): Promise<string> {
  const f = shQuote(jid);
  const script = `d=${dirWord(dir)} && mkdir -p "$d" && cat > "$d/.${f}.tmp" && mv -f "$d/.${f}.tmp" "$d/${f}" && printf '%s' "$d/${f}"`;
  const r = await conn.exec(script, { stdin: JSON.stringify(data) });
  if (r.rc !== 0) throw new TsibleError('INTERNAL', `could not write the async job file ${dir}/${jid}: ${r.stderr.trim()}`);
  return r.stdout;
}

export interface JobFileRead {
  path: string;
  /** undefined when the file does not exist. */
  text?: string;
}

/** Reads the job file in one round trip (its path, whether it exists, its text). */
export async function readJobFile(conn: Connection, dir: string, jid: string): Promise<JobFileRead> {
  const r = await conn.exec(`f=${dirWord(dir)}/${shQuote(jid)}; printf '%s\\n' "$f"; if [ -f "$f" ]; then echo present; cat "$f"; else echo missing; fi`);
  const [path = '', state = '', ...rest] = r.stdout.split('\n');
  return { path, text: state === 'present' ? rest.join('\n') : undefined };
}

/** Removes the job file; returns its path (whether it existed or not). */
export async function removeJobFile(conn: Connection, dir: string, jid: string): Promise<{ path: string; existed: boolean }> {
  const r = await conn.exec(`f=${dirWord(dir)}/${shQuote(jid)}; printf '%s' "$f"; [ -f "$f" ] && rm -f "$f"`);
  return { path: r.stdout, existed: r.rc === 0 };
}
