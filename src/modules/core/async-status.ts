// async_status: the state of an async job from its job file on the target (running, or the
// module's result once finished), or `mode: cleanup` to remove the file; as Ansible's action + module.
import type { Connection } from '../../connection/types';
import type { ModuleDef, ModuleResult } from '../types';
import { readJobFile, removeJobFile } from './async-job-file';

export const DEFAULT_ASYNC_DIR = '~/.ansible_async';

/** What async_status reports for a job: base fields, overlaid with what the job file says. */
export async function asyncJobStatus(conn: Connection, dir: string, jid: string, mode: 'status' | 'cleanup'): Promise<ModuleResult> {
  const base: ModuleResult = { started: 0, finished: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], ansible_job_id: jid };
  if (mode === 'cleanup') {
    const removed = await removeJobFile(conn, dir, jid);
    if (!removed.existed) return { ...base, erased: removed.path, failed: true, msg: 'could not find job', started: 1, finished: 1 };
    return { ...base, erased: removed.path, changed: false };
  }
  const file = await readJobFile(conn, dir, jid);
  const head = { ...base, results_file: file.path, started: 1 };
  if (file.text === undefined) return { ...head, failed: true, msg: 'could not find job', finished: 1 };
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch {
    // not written yet: the job is running
    if (!file.text.trim()) return { ...head, finished: 0, changed: false };
    return { ...head, failed: true, msg: `Could not parse job output: ${file.text}`, finished: 1 };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ...head, finished: 0, changed: false };
  const job = data as Record<string, unknown>;
  // the start marker carries `started`; the module's own result does not (then it is finished)
  if (!('started' in job)) return { ...head, changed: false, ...job, finished: 1, ansible_job_id: jid };
  return { ...head, changed: false, ...job, finished: 'finished' in job ? job.finished : 0 };
}

export const asyncStatusModule: ModuleDef = {
  name: 'async_status',
  spec: {
    jid: { type: 'str', required: true },
    mode: { type: 'str', default: 'status', choices: ['status', 'cleanup'] },
  },
  checkMode: true,
  async run(args, ctx) {
    const dir = String(ctx.controller.shellOption?.('async_dir') ?? DEFAULT_ASYNC_DIR);
    return asyncJobStatus(ctx.conn, dir, String(args.jid), args.mode === 'cleanup' ? 'cleanup' : 'status');
  },
};
