// Test helper: a terse way to replay an engine's event sequence into a reporter
// (the golden tests describe each captured ansible-playbook run as such a script).
import type { HostResult, HostStats, PlayInfo, Reporter, TaskInfo, TaskStatus } from './types';
import type { OutStream } from './display';

export class Capture implements OutStream {
  text = '';
  constructor(public isTTY = false, public columns?: number) {}
  write(s: string): void {
    this.text += s;
  }
}

export interface ResultOpts {
  ignored?: boolean;
  delegatedTo?: string;
  itemLabel?: unknown;
}

export class Script {
  private task: TaskInfo = { name: '', action: 'debug', isHandler: false, noLog: false, tags: [] };
  private readonly stats: Record<string, HostStats> = {};

  constructor(readonly reporter: Reporter) {}

  play(name: string, hosts: string[] = []): this {
    const info: PlayInfo = { name, hosts, check: false };
    this.reporter.onPlayStart?.(info);
    return this;
  }

  start(name: string, action = 'debug', extra: Partial<TaskInfo> = {}): this {
    this.task = { name, action, isHandler: false, noLog: false, tags: [], ...extra };
    this.reporter.onTaskStart?.(this.task);
    return this;
  }

  handler(name: string, action = 'debug'): this {
    this.task = { name, action, isHandler: true, noLog: false, tags: [] };
    this.reporter.onHandlerTaskStart?.(this.task);
    return this;
  }

  private hostResult(host: string, status: TaskStatus, result: Record<string, unknown>, opts: ResultOpts): HostResult {
    return { host, task: this.task, status, result, ignored: opts.ignored ?? false, delegatedTo: opts.delegatedTo, itemLabel: opts.itemLabel };
  }

  result(host: string, status: TaskStatus, result: Record<string, unknown> = {}, opts: ResultOpts = {}): this {
    this.reporter.onTaskResult?.(this.hostResult(host, status, result, opts));
    return this;
  }

  item(host: string, status: TaskStatus, result: Record<string, unknown>, opts: ResultOpts = {}): this {
    this.reporter.onItemResult?.(this.hostResult(host, status, result, opts));
    return this;
  }

  retry(host: string, left: number, result: Record<string, unknown> = {}): this {
    this.reporter.onRetry?.(this.hostResult(host, 'failed', result, {}), left);
    return this;
  }

  diff(host: string, diff: unknown): this {
    this.reporter.onDiff?.(host, diff);
    return this;
  }

  /** Recap counters in Ansible's order: ok changed unreachable failed skipped rescued ignored. */
  recap(host: string, ...n: number[]): this {
    const [ok = 0, changed = 0, unreachable = 0, failed = 0, skipped = 0, rescued = 0, ignored = 0] = n;
    this.stats[host] = { ok, changed, unreachable, failed, skipped, rescued, ignored };
    return this;
  }

  end(): void {
    this.reporter.onPlaybookEnd?.({ hosts: this.stats });
  }
}

/** A debug result as the action returns it (msg shown, verbose by default). */
export const dbg = (msg: unknown): Record<string, unknown> => ({ msg, changed: false, failed: false, _ansible_verbose_always: true });
export const failMsg = (msg: string): Record<string, unknown> => ({ msg, changed: false, failed: true });
export const SKIPPED = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
