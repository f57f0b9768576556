// The default text reporter: byte-for-byte Ansible 2.14's "default" stdout callback
// (banners, per-host status lines, loop items, diffs, retries, warnings and PLAY RECAP).
import { isDict, pyJsonDumps, pyStr, truthy } from '../template/pyvalues';
import { Colors, colorize, hostcolor, type ColorName } from './colors';
import { Display, DisplayReporter, type OutStream } from './display';
import { formatDiff } from './difftext';
import { cleanCopy, cleanForDisplay, dumpResults, hostLabel, isVerbose, itemLabel } from './results';
import type { HostResult, PlayInfo, Reporter, Stats, TaskInfo } from './types';

export interface TextReporterOptions {
  out: OutStream;
  err: OutStream;
  verbosity?: number;
  /** Forced colour decision (ANSIBLE_NOCOLOR / NO_COLOR → false); default: stdout is a TTY. */
  color?: boolean;
  displaySkippedHosts?: boolean;
  displayOkHosts?: boolean;
  showCustomStats?: boolean;
}

const INCLUDE_ACTIONS = new Set([
  'include_tasks',
  'include_role',
  'ansible.builtin.include_tasks',
  'ansible.builtin.include_role',
  'include',
  'ansible.builtin.include',
]);

/** A loop's aggregate result: its items were already reported one by one. */
function isLoopAggregate(result: Record<string, unknown>, task: TaskInfo): boolean {
  const items = result.results;
  if (!Array.isArray(items)) return false;
  // a module's own `results` list (dnf's) is not a loop's, even when empty
  if (task.loop === false && !items.some((x) => isDict(x) && 'ansible_loop_var' in x)) return false;
  return items.length === 0 || items.some((x) => isDict(x) && ('ansible_loop_var' in x || 'item' in x || '_ansible_item_label' in x));
}

export class DefaultReporter extends DisplayReporter implements Reporter {
  private readonly showSkipped: boolean;
  private readonly showOk: boolean;
  private readonly showCustomStats: boolean;
  private lastBanner: TaskInfo | undefined;
  private readonly prefixOf = new WeakMap<TaskInfo, string>();

  constructor(opts: TextReporterOptions) {
    super(new Display({ out: opts.out, err: opts.err, verbosity: opts.verbosity, color: opts.color }));
    this.showSkipped = opts.displaySkippedHosts ?? true;
    this.showOk = opts.displayOkHosts ?? true;
    this.showCustomStats = opts.showCustomStats ?? false;
  }

  onPlaybookStart(playbookPath: string, playCount?: number): void {
    if (this.display.verbosity > 1) {
      const base = playbookPath.split('/').pop() ?? playbookPath;
      this.display.banner(`PLAYBOOK: ${base}`);
      if (playCount !== undefined) this.display.display(`${playCount} plays in ${playbookPath}`, Colors.verbose);
    }
  }

  onPlayStart(play: PlayInfo): void {
    const name = play.name.trim();
    this.lastBanner = undefined;
    this.display.banner(name ? `PLAY [${name}]` : 'PLAY');
  }

  onTaskStart(task: TaskInfo): void {
    this.taskStart(task, 'TASK');
  }

  onHandlerTaskStart(task: TaskInfo): void {
    this.taskStart(task, 'RUNNING HANDLER');
  }

  private taskStart(task: TaskInfo, prefix: string): void {
    this.prefixOf.set(task, prefix);
    if (this.showSkipped && this.showOk) this.printTaskBanner(task);
  }

  private printTaskBanner(task: TaskInfo): void {
    const prefix = this.prefixOf.get(task) ?? (task.isHandler ? 'RUNNING HANDLER' : 'TASK');
    this.display.banner(`${prefix} [${task.name.trim()}]`);
    if (this.display.verbosity >= 2 && task.path) this.display.display(`task path: ${task.path}`, Colors.debug);
    this.lastBanner = task;
  }

  /** Banners are printed lazily when ok or skipped hosts are hidden. */
  private ensureBanner(task: TaskInfo): void {
    const last = this.lastBanner;
    const same = last === task || (last !== undefined && last.id !== undefined && last.id === task.id) || (last !== undefined && last.path !== undefined && last.path === task.path && last.name === task.name);
    if (!same) this.printTaskBanner(task);
  }

  private handleWarnings(result: Record<string, unknown>): void {
    // as Ansible's _handle_warnings: only non-empty lists are shown and removed (empty ones stay in the dump)
    const warnings = result.warnings;
    if (Array.isArray(warnings) && warnings.length > 0) {
      for (const w of warnings) this.display.warning(String(w));
      delete result.warnings;
    } else if (!Array.isArray(warnings)) delete result.warnings;
    const deprecations = result.deprecations;
    if (Array.isArray(deprecations) && deprecations.length > 0) {
      for (const d of deprecations) {
        if (isDict(d)) this.display.deprecated(String(d.msg ?? ''), d.version === undefined ? undefined : String(d.version));
        else this.display.deprecated(String(d));
      }
      delete result.deprecations;
    } else if (!Array.isArray(deprecations)) delete result.deprecations;
  }

  private handleException(result: Record<string, unknown>): void {
    if (!('exception' in result)) return;
    const text = String(result.exception);
    let msg = 'An exception occurred during task execution. ';
    if (this.display.verbosity < 3) {
      const lines = text.trim().split('\n');
      msg += `To see the full traceback, use -vvv. The error was: ${lines[lines.length - 1] ?? ''}`;
    } else {
      msg = `The full traceback is:\n${text}`;
      delete result.exception;
    }
    this.display.display(msg, Colors.error);
  }

  onTaskResult(r: HostResult): void {
    const result = cleanCopy(r.result, r.task, r.status);
    const verbosity = this.display.verbosity;
    if (r.status === 'failed') {
      cleanForDisplay(result, r.task.action);
      this.ensureBanner(r.task);
      this.handleException(result);
      this.handleWarnings(result);
      if (!isLoopAggregate(result, r.task)) {
        this.display.display(`fatal: [${hostLabel(r)}]: FAILED! => ${dumpResults(result, verbosity)}`, Colors.error);
      }
      if (r.ignored) this.display.display('...ignoring', Colors.skip);
      return;
    }
    if (r.status === 'unreachable') {
      this.ensureBanner(r.task);
      this.display.display(`fatal: [${hostLabel(r)}]: UNREACHABLE! => ${dumpResults(result, verbosity)}`, Colors.unreachable);
      if (r.ignored) this.display.display('...ignoring', Colors.skip);
      return;
    }
    if (r.status === 'skipped') {
      if (!this.showSkipped) return;
      cleanForDisplay(result, r.task.action);
      this.ensureBanner(r.task);
      if (isLoopAggregate(result, r.task)) delete result.results;
      let msg = `skipping: [${r.host}]`;
      if (isVerbose(result, verbosity)) msg += ` => ${dumpResults(result, verbosity)}`;
      this.display.display(msg, Colors.skip);
      return;
    }
    if (INCLUDE_ACTIONS.has(r.task.action)) {
      this.ensureBanner(r.task);
      return;
    }
    const changed = r.status === 'changed' || truthy(result.changed);
    if (!changed && !this.showOk) return;
    this.ensureBanner(r.task);
    this.handleWarnings(result);
    if (isLoopAggregate(result, r.task)) return;
    cleanForDisplay(result, r.task.action);
    let msg = `${changed ? 'changed' : 'ok'}: [${hostLabel(r)}]`;
    if (isVerbose(result, verbosity)) msg += ` => ${dumpResults(result, verbosity)}`;
    this.display.display(msg, changed ? Colors.changed : Colors.ok);
  }

  onItemResult(r: HostResult): void {
    const result = cleanCopy(r.result, r.task, r.status);
    const verbosity = this.display.verbosity;
    const label = itemLabel(result, r);
    if (r.status === 'failed' || r.status === 'unreachable') {
      this.ensureBanner(r.task);
      cleanForDisplay(result, r.task.action);
      this.handleException(result);
      this.handleWarnings(result);
      this.display.display(`failed: [${hostLabel(r)}] (item=${label}) => ${dumpResults(result, verbosity)}`, Colors.error);
      return;
    }
    if (r.status === 'skipped') {
      if (!this.showSkipped) return;
      this.ensureBanner(r.task);
      cleanForDisplay(result, r.task.action);
      let msg = `skipping: [${r.host}] => (item=${label}) `;
      if (isVerbose(result, verbosity)) msg += ` => ${dumpResults(result, verbosity)}`;
      this.display.display(msg, Colors.skip);
      return;
    }
    if (INCLUDE_ACTIONS.has(r.task.action)) return;
    const changed = r.status === 'changed' || truthy(result.changed);
    if (!changed && !this.showOk) return;
    this.ensureBanner(r.task);
    let msg = `${changed ? 'changed' : 'ok'}: [${hostLabel(r)}] => (item=${label})`;
    cleanForDisplay(result, r.task.action);
    if (isVerbose(result, verbosity)) msg += ` => ${dumpResults(result, verbosity)}`;
    this.display.display(msg, changed ? Colors.changed : Colors.ok);
  }

  /** "included: file for h1, h2", plus " => (item=x)" when the include was looped. */
  onIncluded(file: string, hosts: string[], _task?: TaskInfo, item?: unknown): void {
    let msg = `included: ${file} for ${hosts.join(', ')}`;
    if (item !== undefined && item !== null && item !== '') msg += ` => (item=${pyStr(item)})`;
    this.display.display(msg, Colors.skip);
  }

  onNoHostsMatched(): void {
    this.display.display('skipping: no hosts matched', Colors.skip);
  }

  onNoMoreHosts(): void {
    this.display.banner('NO MORE HOSTS LEFT');
  }

  onRetry(r: HostResult, retriesLeft: number): void {
    const result = cleanCopy(r.result, r.task, r.status);
    let msg = `FAILED - RETRYING: [${hostLabel(r)}]: ${r.task.name.trim()} (${retriesLeft} retries left).`;
    if (isVerbose(result, this.display.verbosity, 2)) msg += `Result was: ${dumpResults(result, this.display.verbosity)}`;
    this.display.display(msg, Colors.debug);
  }

  onAsyncStatus(host: string, kind: 'poll' | 'ok' | 'failed', result: Record<string, unknown>): void {
    const asyncResult = result.async_result as Record<string, unknown> | undefined;
    const jid = result.ansible_job_id ?? asyncResult?.ansible_job_id;
    const text = kind === 'poll'
      ? `ASYNC POLL on ${host}: jid=${pyStr(jid)} started=${pyStr(result.started)} finished=${pyStr(result.finished)}`
      : `ASYNC ${kind === 'ok' ? 'OK' : 'FAILED'} on ${host}: jid=${pyStr(jid)}`;
    this.display.display(text, Colors.debug);
  }

  /** Called before the host's result line, as Ansible prints the diff first. */
  onDiff(_host: string, diff: unknown): void {
    const text = formatDiff(diff, this.display.color);
    if (text) this.display.display(text);
  }

  onVerbose(message: string, level: number): void {
    this.display.verbose(message, level);
  }

  onPlaybookEnd(stats: Stats): void {
    this.display.banner('PLAY RECAP');
    const color = this.display.color;
    for (const host of Object.keys(stats.hosts).sort()) {
      const t = stats.hosts[host];
      if (!t) continue;
      const counter = (lead: string, n: number, c: ColorName): string => colorize(lead, n, c, color);
      const line = [
        counter('ok', t.ok, Colors.ok),
        counter('changed', t.changed, Colors.changed),
        counter('unreachable', t.unreachable, Colors.unreachable),
        counter('failed', t.failed, Colors.error),
        counter('skipped', t.skipped, Colors.skip),
        counter('rescued', t.rescued, Colors.ok),
        counter('ignored', t.ignored, Colors.warn),
      ].join(' ');
      this.display.display(`${hostcolor(host, { failures: t.failed, unreachable: t.unreachable, changed: t.changed }, color)} : ${line}`);
    }
    this.display.display('');
    if (this.showCustomStats && stats.custom && Object.keys(stats.custom).length) this.customStats(stats.custom);
  }

  /** show_custom_stats: per host lines, then the run's, each as one-line JSON. */
  private customStats(custom: Record<string, Record<string, unknown>>): void {
    this.display.banner('CUSTOM STATS: ');
    const oneLine = (v: Record<string, unknown>) => pyJsonDumps(v, { indent: 1, sortKeys: true, ensureAscii: false }).replace(/\n/g, '');
    for (const host of Object.keys(custom).sort()) {
      if (host !== '_run') this.display.display(`\t${host}: ${oneLine(custom[host] ?? {})}`);
    }
    if (custom._run) {
      this.display.display('');
      this.display.display(`\tRUN: ${oneLine(custom._run)}`);
    }
    this.display.display('');
  }
}
