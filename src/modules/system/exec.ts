// Small helpers for system modules: run an argv on the target, probe key=value records.
import { shJoin } from '../../connection/quote';
import type { Connection, ExecResult } from '../../connection/types';

/** Runs one command given as argv (quoted in one place). */
export function runArgv(conn: Connection, argv: readonly string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<ExecResult> {
  return conn.exec(shJoin(argv) + '\n', opts);
}

/**
 * Runs an argv and then, in the same exec, a probe script (the state after the change):
 * the command's own stdout, stderr and rc, and the probe's output apart.
 */
export async function runArgvThen(
  conn: Connection,
  argv: readonly string[],
  probe: string,
): Promise<ExecResult & { probeOut: string }> {
  const mark = 'TSIBLE-ARGV-RC';
  const r = await conn.exec(`${shJoin(argv)}\n_tsrc=$?; printf '\\001%s %s\\n' ${mark} "$_tsrc"; [ "$_tsrc" = 0 ] || exit "$_tsrc"\n${probe}`);
  const at = r.stdoutBytes.indexOf(`\u0001${mark} `);
  if (at < 0) return { ...r, probeOut: '' };
  const nl = r.stdoutBytes.indexOf(0x0a, at);
  const stdoutBytes = r.stdoutBytes.subarray(0, at);
  const rc = Number(r.stdoutBytes.subarray(at + mark.length + 2, nl).toString('latin1'));
  return { rc, stdout: stdoutBytes.toString('utf8'), stderr: r.stderr, stdoutBytes, probeOut: r.stdoutBytes.subarray(nl + 1).toString('utf8') };
}

/** The result fields Ansible adds when a command fails (rc, stdout, stderr). */
export function commandFailure(msg: string, r: ExecResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { failed: true, msg, rc: r.rc, stdout: r.stdout, stderr: r.stderr, ...extra };
}
