// ansible.posix.profile_roles: a timing line after each task banner and, after PLAY RECAP, the time
// spent per role (tasks outside roles count under their action), largest first, and the total.
import type { Display } from '../display';
import type { Reporter, TaskInfo } from '../types';
import { dashLine, filled, TaskClock, type Clock } from './clock';

export class ProfileRolesReporter implements Reporter {
  /** Seconds per role or action, in the order each was first timed (Counter.most_common keeps it for ties). */
  private readonly totals = new Map<string, number>();
  private current: { key: string; started: number } | undefined;
  private readonly taskClock: TaskClock;

  constructor(
    private readonly display: Display,
    private readonly clock: Clock,
  ) {
    this.taskClock = new TaskClock(clock);
  }

  private stopCurrent(): void {
    if (!this.current) return;
    const { key, started } = this.current;
    this.totals.set(key, (this.totals.get(key) ?? 0) + (this.clock.now() - started) / 1000);
  }

  private record(task: TaskInfo): void {
    this.display.display(this.taskClock.line());
    this.stopCurrent();
    const key = task.role ?? task.actionAsWritten ?? task.action;
    this.current = { key, started: this.clock.now() };
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
    const rows = [...this.totals.entries()].map(([k, v], i) => ({ k, v, i })).sort((a, b) => b.v - a.v || a.i - b.i);
    let total = 0;
    for (const v of this.totals.values()) total += v;
    for (const r of rows) {
      this.display.display(dashLine(`${r.k} `, ` ${r.v.toFixed(2)}s`, 70));
    }
    this.display.display(filled('', '~'));
    this.display.display(dashLine('total ', ` ${total.toFixed(2)}s`, 70));
  }
}
