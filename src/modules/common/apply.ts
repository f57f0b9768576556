// Applying planned commands and re-probing the result in the same exec: one round trip
// gives both the error (if any) and the final stat that results report.
import type { Connection } from '../../connection/types';
import { ModuleFail } from './fail';
import { parseProbe, probeScript } from './probe';
import type { PathStat, ProbeRequest } from './probe';

export interface ApplyResult {
  rc: number;
  stderr: string;
  stats: PathStat[];
}

/** Runs the commands (stopping at the first failure), then stats `paths`. */
export async function applyThenProbe(
  conn: Connection,
  commands: readonly string[],
  req: ProbeRequest,
): Promise<ApplyResult> {
  const body = commands.length ? commands.join(' &&\n') : 'true';
  // the commands' stderr is the exec's stderr: the probe part writes none
  const script = `{ ${body}\n} >/dev/null; echo "APPLY $?"\n` + probeScript(req);
  const r = await conn.exec(script);
  const m = /^APPLY (\d+)$/m.exec(r.stdout);
  const rc = m ? Number(m[1]) : r.rc || 1;
  const stderr = r.stderr;
  return { rc, stderr, stats: parseProbe(req, r.stdout).stats };
}

/** Like applyThenProbe but throws ModuleFail(prefix + stderr) when a command failed. */
export async function applyOrFail(
  conn: Connection,
  commands: readonly string[],
  req: ProbeRequest,
  failPrefix: string,
  extra: Record<string, unknown> = {},
): Promise<PathStat[]> {
  const res = await applyThenProbe(conn, commands, req);
  if (res.rc !== 0) throw new ModuleFail(`${failPrefix}${res.stderr.trim()}`, extra);
  return res.stats;
}
