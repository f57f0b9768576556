// ansible.posix.profile_tasks: a timing line after each task banner and, after PLAY RECAP, the
// tasks sorted by time spent (sort_order, output_limit), each task's time summed over serial batches.
import type { Display } from '../display';
import type { Reporter, TaskInfo } from '../types';
import { dashLine, filled, TaskClock, type Clock } from './clock';

export interface ProfileTasksOptions {
  /** descending (default), ascending, or none (the order tasks first ran). */
  sortOrder: 'descending' | 'ascending' | 'none';
  /** How many tasks the summary lists; undefined lists all. */
  outputLimit?: number;
}

interface TaskTiming {
  name: string;
  path?: string;
  started: number;
  elapsed: number;
}

export class ProfileTasksReporter implements Reporter {
  private readonly timings = new Map<number | TaskInfo, TaskTiming>();
  private current: TaskTiming | undefined;
  private readonly taskClock: TaskClock;

  constructor(
    private readonly display: Display,
    private readonly options: ProfileTasksOptions,
    private readonly clock: Clock,
  ) {
    this.taskClock = new TaskClock(clock);
  }

  private stopCurrent(): void {
    if (this.current) this.current.elapsed += (this.clock.now() - this.current.started) / 1000;
  }

  private record(task: TaskInfo): void {
    this.display.display(this.taskClock.line());
    this.stopCurrent();
    const key = task.id ?? task;
    let timing = this.timings.get(key);
    if (!timing) {
      timing = { name: task.name, started: 0, elapsed: 0 };
      this.timings.set(key, timing);
    }
    timing.started = this.clock.now();
    if (this.display.verbosity >= 2 && task.path) timing.path = task.path;
    this.current = timing;
  }

  onTaskStart(task: TaskInfo): void {
    this.record(task);
  }

  onHandlerTaskStart(task: TaskInfo): void {
    this.record(task);
  }

  onPlaybookEnd(): void {
    this.display.display(this.taskClock.line());
    this.display.display(filled('', '='));
    this.stopCurrent();
    this.current = undefined;
    let rows = [...this.timings.values()];
    // a stable sort, as Python's sorted()
    if (this.options.sortOrder === 'descending') rows = rows.map((r, i) => ({ r, i })).sort((a, b) => b.r.elapsed - a.r.elapsed || a.i - b.i).map((x) => x.r);
    if (this.options.sortOrder === 'ascending') rows = rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.elapsed - b.r.elapsed || a.i - b.i).map((x) => x.r);
    if (this.options.outputLimit !== undefined) rows = rows.slice(0, this.options.outputLimit); // a negative limit drops from the end, as a Python slice
    const width = this.display.columns;
    for (const r of rows) {
      let msg = dashLine(`${r.name} `, ` ${r.elapsed.toFixed(2)}s`, width - 9);
      if (r.path !== undefined) msg += `\n${`${r.path} `.padEnd(width, '-')}`;
      this.display.display(msg);
    }
  }
}
