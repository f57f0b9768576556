// The JSON reporter: the structure of the ansible.posix.json callback (plays → tasks → hosts,
// stats, custom stats), printed once at the end with 4-space indent and sorted keys.
import { randomBytes } from 'crypto';
import { pyJsonDumps } from '../template/pyvalues';
import { Display, DisplayReporter, type OutStream } from './display';
import { cleanCopy } from './results';
import type { HostResult, PlayInfo, Reporter, Stats, TaskInfo } from './types';

export interface JsonReporterOptions {
  out: OutStream;
  err: OutStream;
  /** Injected clock for reproducible output in tests. */
  now?: () => Date;
  /** Injected id generator (Ansible uses its per-run UUID scheme). */
  newId?: () => string;
}

interface Duration {
  start: string;
  end?: string;
}

interface TaskRecord {
  task: { name: string; id: string; path: string; duration: Duration };
  hosts: Record<string, Record<string, unknown>>;
}

interface PlayRecord {
  play: { name: string; id: string; path: string; duration: Duration };
  tasks: TaskRecord[];
}

/** Python's datetime.utcnow().isoformat() + "Z" (microseconds, never trimmed). */
export function isoMicro(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function idGenerator(): () => string {
  const prefix = randomBytes(6).toString('hex');
  let counter = 0;
  return () => {
    counter += 1;
    return `${prefix.slice(0, 8)}-${prefix.slice(8, 12)}-0000-${String(counter).padStart(12, '0')}`;
  };
}

export class JsonReporter extends DisplayReporter implements Reporter {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly plays: PlayRecord[] = [];

  constructor(opts: JsonReporterOptions) {
    super(new Display({ out: opts.out, err: opts.err, color: false }));
    this.now = opts.now ?? (() => new Date());
    this.newId = opts.newId ?? idGenerator();
  }

  private time(): string {
    return isoMicro(this.now());
  }

  onPlayStart(play: PlayInfo): void {
    this.plays.push({
      play: { name: play.name, id: this.newId(), path: play.path ?? '', duration: { start: this.time() } },
      tasks: [],
    });
  }

  onTaskStart(task: TaskInfo): void {
    this.newTask(task);
  }

  onHandlerTaskStart(task: TaskInfo): void {
    this.newTask(task);
  }

  private newTask(task: TaskInfo): void {
    const play = this.plays[this.plays.length - 1];
    if (!play) return;
    play.tasks.push({
      task: { name: task.name, id: this.newId(), path: task.path ?? '', duration: { start: this.time() } },
      hosts: {},
    });
  }

  onTaskResult(r: HostResult): void {
    const play = this.plays[this.plays.length - 1];
    const task = play?.tasks[play.tasks.length - 1];
    if (!play || !task) return;
    const record: Record<string, unknown> = { ...cleanCopy(r.result, r.task, r.status) };
    if (!('censored' in record) && !('_ansible_no_log' in record)) record._ansible_no_log = r.task.noLog;
    if (r.status === 'failed') record.failed = true;
    if (r.status === 'skipped') record.skipped = true;
    record.action = r.task.action;
    task.hosts[r.host] = record;
    const end = this.time();
    task.task.duration.end = end;
    play.play.duration.end = end;
  }

  onPlaybookEnd(stats: Stats): void {
    const summary: Record<string, Record<string, number>> = {};
    for (const host of Object.keys(stats.hosts).sort()) {
      const s = stats.hosts[host];
      if (!s) continue;
      summary[host] = {
        changed: s.changed,
        failures: s.failed,
        ignored: s.ignored,
        ok: s.ok,
        rescued: s.rescued,
        skipped: s.skipped,
        unreachable: s.unreachable,
      };
    }
    const output = { custom_stats: {}, global_custom_stats: {}, plays: this.plays, stats: summary };
    this.display.display(pyJsonDumps(output, { indent: 4, sortKeys: true }));
  }
}
