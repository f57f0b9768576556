// Tasks with `async`: the module runs as a background job of this run (a promise kept in the
// run's AsyncJobs), its state kept in <async_dir>/<jid> on the target so async_status reads it
// from there; `poll: N` checks that file every N seconds, `poll: 0` returns the job id at once.
import { randomInt } from 'crypto';
import { asyncJobStatus, DEFAULT_ASYNC_DIR } from '../modules/core/async-status';
import { writeJobFile } from '../modules/core/async-job-file';
import type { ModuleContext, ModuleDef, ModuleResult } from '../modules/types';
import type { ActionEnv } from './action';

/** The background jobs of one run; once closed (the run ended), jobs still running write nothing more. */
export class AsyncJobs {
  private readonly running = new Map<string, Promise<void>>();
  private closedFlag = false;

  get closed(): boolean {
    return this.closedFlag;
  }

  start(jid: string, work: () => Promise<void>): void {
    const p = work().finally(() => this.running.delete(jid));
    this.running.set(jid, p);
  }

  /** Jobs not finished yet (ids). */
  pending(): string[] {
    return [...this.running.keys()];
  }

  close(): void {
    this.closedFlag = true;
  }
}

/** Action plugins of Ansible that refuse `async` (all but command, shell, package, service, reboot, uri, yum and plain modules). */
const NO_ASYNC = new Set([
  'add_host', 'assemble', 'assert', 'async_status', 'copy', 'debug', 'fail', 'fetch', 'gather_facts', 'group_by',
  'include_vars', 'pause', 'raw', 'script', 'set_fact', 'set_stats', 'template', 'unarchive', 'validate_argument_spec',
  'wait_for_connection',
]);

/** Ansible's DEFAULT_POLL_INTERVAL. */
const DEFAULT_POLL = 15;

export function asyncSecondsOf(env: ActionEnv): number {
  const raw = env.task.asyncSeconds;
  if (raw === undefined || raw === null) return 0;
  const n = Number(env.templar.template(raw));
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

/** Runs the module as an async job; `run` is the module call (validated args, in the task's context). */
export async function runAsyncAction(
  env: ActionEnv, mod: ModuleDef, seconds: number, run: () => Promise<ModuleResult>, mctx: Pick<ModuleContext, 'controller'>,
): Promise<ModuleResult> {
  if (NO_ASYNC.has(mod.name)) return { failed: true, msg: 'async is not supported for this task.' };
  if (env.check) return { failed: true, msg: 'check mode and async cannot be used on same task.' };
  const pollRaw = env.task.poll === undefined || env.task.poll === null ? DEFAULT_POLL : Number(env.templar.template(env.task.poll));
  const poll = Number.isFinite(pollRaw) ? Math.trunc(pollRaw) : DEFAULT_POLL;
  const dir = String(mctx.controller.shellOption?.('async_dir') ?? DEFAULT_ASYNC_DIR);
  const conn = env.conn();
  const jid = `j${randomInt(0, 999999999999)}.${process.pid}`;
  const resultsFile = await writeJobFile(conn, dir, jid, { started: 1, finished: 0, ansible_job_id: jid });
  const jobs = env.ctx.asyncJobs;
  jobs.start(jid, async () => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<ModuleResult>((resolve) => {
      // Ansible's wrapper checks its child every 5 s: the limit is met at the next multiple of 5
      timer = setTimeout(() => resolve({ msg: 'Timeout exceeded', failed: true }), Math.max(1, Math.ceil(seconds / 5)) * 5000);
      timer.unref();
    });
    let result: ModuleResult;
    try {
      result = await Promise.race([run(), timedOut]);
    } catch (e) {
      result = { failed: true, msg: (e as Error).message ?? String(e) };
    } finally {
      clearTimeout(timer);
    }
    if (jobs.closed) return;
    try {
      await writeJobFile(conn, dir, jid, JSON.parse(JSON.stringify(result)) as Record<string, unknown>);
    } catch (e) {
      env.ctx.reporter.onVerbose?.(`async job ${jid} could not record its result: ${(e as Error).message}`, 4);
    }
  });
  // as Ansible's async_wrapper answers at once (its `failed` is the number 0)
  const started: Record<string, unknown> = { ansible_job_id: jid, started: 1, finished: 0, results_file: resultsFile, changed: true, failed: 0 };
  if (poll <= 0) return started as ModuleResult;
  return pollJob(env, conn, dir, jid, seconds, poll);
}

/** Checks the job every `poll` seconds until it finishes or `seconds` pass (Ansible's _poll_async_result). */
async function pollJob(env: ActionEnv, conn: ReturnType<ActionEnv['conn']>, dir: string, jid: string, seconds: number, poll: number): Promise<ModuleResult> {
  const report = env.ctx.reporter.onAsyncStatus?.bind(env.ctx.reporter);
  let status: ModuleResult = { ansible_job_id: jid, started: 1, finished: 0 };
  for (let left = seconds; left > 0; left -= poll) {
    await sleep(poll);
    status = await asyncJobStatus(conn, dir, jid, 'status');
    if (Number(status.finished) === 1 || 'failed' in status || 'skipped' in status) break;
    report?.(env.host, 'poll', status);
  }
  if (Number(status.finished) !== 1) {
    const result = { failed: true, changed: false, msg: `async task did not complete within the requested time - ${seconds}s`, async_result: status };
    report?.(env.host, 'failed', result);
    return result;
  }
  await asyncJobStatus(conn, dir, jid, 'cleanup');
  report?.(env.host, status.failed ? 'failed' : 'ok', status);
  return status;
}
