// Several commands in one exec, each with its own rc, stdout and stderr, stopping at the
// first failure that matters: how a module applies a multi-step change in one round trip.
import type { Connection, ExecOptions } from '../../connection/types';

export interface Step {
  /** sh run in its own subshell. */
  script: string;
  /** Stop the remaining steps when this one fails (default true). */
  stopOnFailure?: boolean;
}

export interface StepResult {
  rc: number;
  stdout: string;
  stderr: string;
}

const MARK = '\u0001TSIBLE-STEP';

/** The script running `steps` in order with markers around each one's output. */
export function stepsScript(steps: readonly Step[]): string {
  return steps
    .map((s, i) =>
      [
        `printf '\\001%s %d\\n' TSIBLE-STEP ${i}; printf '\\001%s %d\\n' TSIBLE-STEP ${i} >&2`,
        `(\n${s.script}\n); _tsrc=$?`,
        `printf '\\001%s %d %d\\n' TSIBLE-STEP-RC ${i} "$_tsrc"`,
        s.stopOnFailure === false ? '' : '[ "$_tsrc" = 0 ] || exit 0',
      ].filter(Boolean).join('\n'),
    )
    .join('\n') + '\n';
}

/** Cuts the exec's output into the results of the steps that ran. */
export function parseSteps(count: number, stdout: string, stderr: string): StepResult[] {
  const results: StepResult[] = [];
  for (let i = 0; i < count; i++) {
    const start = stdout.indexOf(`${MARK} ${i}\n`);
    if (start < 0) break;
    const body = start + `${MARK} ${i}\n`.length;
    const rcAt = stdout.indexOf(`${MARK}-RC ${i} `, body);
    const rc = rcAt < 0 ? 1 : Number(/^(\d+)/.exec(stdout.slice(rcAt + `${MARK}-RC ${i} `.length))?.[1] ?? 1);
    const errStart = stderr.indexOf(`${MARK} ${i}\n`);
    const errBody = errStart < 0 ? stderr.length : errStart + `${MARK} ${i}\n`.length;
    const errEnd = stderr.indexOf(`${MARK} ${i + 1}\n`, errBody);
    results.push({
      rc,
      stdout: stdout.slice(body, rcAt < 0 ? stdout.length : rcAt),
      stderr: stderr.slice(errBody, errEnd < 0 ? stderr.length : errEnd),
    });
  }
  return results;
}

/** Runs the steps in one exec. */
export async function runSteps(conn: Connection, steps: readonly Step[], opts: ExecOptions = {}): Promise<StepResult[]> {
  if (!steps.length) return [];
  const r = await conn.exec(stepsScript(steps), opts);
  return parseSteps(steps.length, r.stdout, r.stderr);
}
