// Structured results of one playbook run, gathered from the engine's reporter events (never
// from printed text): the tasks that changed (with their diffs) and the tasks that failed.
import * as fs from 'fs';
import type { HostResult, Reporter, TaskInfo } from '../reporting/types';

export interface TaskRef {
  role?: string;
  /** The task's own name (without the "role : " prefix). */
  name: string;
  action: string;
  /** file:line of the task. */
  path?: string;
  handler: boolean;
}

export interface ChangedTask {
  task: TaskRef;
  host: string;
  /** Loop item label when one item of a loop changed. */
  item?: unknown;
  /** The module's diff (as --diff shows it), when it gave one. */
  diff?: unknown;
}

export interface FailedTask {
  task: TaskRef;
  host: string;
  item?: unknown;
  msg: string;
  /** The condition of a failed assert. */
  assertion?: string;
  unreachable: boolean;
}

/** file:line with the file's real path (the role under test is reached through a link). */
function realLocation(loc: string | undefined): string | undefined {
  const m = loc === undefined ? null : /^(.*):(\d+)$/.exec(loc);
  if (!m || !m[1]) return loc;
  try {
    return `${fs.realpathSync(m[1])}:${m[2]}`;
  } catch {
    return loc;
  }
}

export function taskRef(info: TaskInfo): TaskRef {
  const prefix = info.role ? `${info.role} : ` : '';
  const name = prefix && info.name.startsWith(prefix) ? info.name.slice(prefix.length) : info.name;
  return { role: info.role, name, action: info.action, path: realLocation(info.path), handler: info.isHandler };
}

function messageOf(result: Record<string, unknown>): string {
  const msg = result.msg;
  if (typeof msg === 'string') return msg;
  if (msg !== undefined) return JSON.stringify(msg);
  if (typeof result.stderr === 'string' && result.stderr) return result.stderr;
  return '';
}

/** A reporter that records what the harness needs to judge a step. */
export class ResultCollector implements Reporter {
  readonly changed: ChangedTask[] = [];
  readonly failed: FailedTask[] = [];
  /** Hosts whose loop items were already recorded for the current task. */
  private readonly itemHosts = new Set<string>();
  private currentTask: TaskInfo | undefined;

  onTaskStart(task: TaskInfo): void {
    this.startTask(task);
  }

  onHandlerTaskStart(task: TaskInfo): void {
    this.startTask(task);
  }

  private startTask(task: TaskInfo): void {
    this.currentTask = task;
    this.itemHosts.clear();
  }

  onItemResult(r: HostResult): void {
    if (r.task !== this.currentTask) this.startTask(r.task);
    this.itemHosts.add(r.host);
    this.record(r, r.itemLabel);
  }

  onTaskResult(r: HostResult): void {
    // A loop's aggregate repeats its items: those were recorded one by one.
    if (this.itemHosts.has(r.host) && r.task === this.currentTask && Array.isArray(r.result.results)) {
      if (r.status === 'unreachable') this.record(r, undefined);
      return;
    }
    this.record(r, undefined);
  }

  private record(r: HostResult, item: unknown): void {
    const task = taskRef(r.task);
    const host = r.delegatedTo ? `${r.host} -> ${r.delegatedTo}` : r.host;
    if (r.status === 'changed') this.changed.push({ task, host, item, diff: r.result.diff });
    if ((r.status === 'failed' && !r.ignored) || r.status === 'unreachable') {
      const assertion = typeof r.result.assertion === 'string' ? r.result.assertion : undefined;
      this.failed.push({ task, host, item, msg: messageOf(r.result), assertion, unreachable: r.status === 'unreachable' });
    }
  }
}

const HOOKS = [
  'onPlaybookStart', 'onPlayStart', 'onTaskStart', 'onHandlerTaskStart', 'onItemResult', 'onTaskResult', 'onIncluded',
  'onNoHostsMatched', 'onNoMoreHosts', 'onRetry', 'onDiff', 'onWarning', 'onDeprecation', 'onError', 'onVerbose', 'onPlaybookEnd',
] as const satisfies readonly (keyof Reporter)[];

/** One reporter that forwards every event to each of the given ones, in order. */
export function teeReporter(...reporters: Reporter[]): Reporter {
  const tee: Record<string, (...args: unknown[]) => void> = {};
  for (const hook of HOOKS) {
    tee[hook] = (...args: unknown[]) => {
      for (const r of reporters) (r[hook] as ((...a: unknown[]) => void) | undefined)?.apply(r, args);
    };
  }
  return tee as Reporter;
}

/** The reporter without its diff output (diffs are collected but the user did not ask for --diff). */
export function withoutDiffs(reporter: Reporter): Reporter {
  return new Proxy(reporter, {
    get(target, prop, receiver) {
      if (prop === 'onDiff') return undefined;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
