// Small helpers for system modules: run an argv on the target, probe key=value records.
import { shJoin } from '../../connection/quote';
import type { Connection, ExecResult } from '../../connection/types';

/** Runs one command given as argv (quoted in one place). */
export function runArgv(conn: Connection, argv: readonly string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<ExecResult> {
  return conn.exec(shJoin(argv) + '\n', opts);
}

/** The result fields Ansible adds when a command fails (rc, stdout, stderr). */
export function commandFailure(msg: string, r: ExecResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { failed: true, msg, rc: r.rc, stdout: r.stdout, stderr: r.stderr, ...extra };
}
