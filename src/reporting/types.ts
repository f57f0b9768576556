// The reporter contract: the executor emits events, reporters (default text, json) print.
// Reporters are the only place that writes to stdout/stderr.

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface TaskInfo {
  /** The banner name: "role : name" or the action when unnamed. */
  name: string;
  action: string;
  /** file:line of the task. */
  path?: string;
  /** The role the task belongs to, when it comes from one. */
  role?: string;
  isHandler: boolean;
  noLog: boolean;
  /** The loop_control.label template's rendered value is passed per item instead. */
  tags: string[];
  /** The task loops (its aggregate result's `results` were reported item by item). */
  loop?: boolean;
  /** Identity of the task in the loaded playbook: the same across serial batches (timing callbacks add up by it). */
  id?: number;
  /** The action as written in the task (`ansible.builtin.command`, `gather_facts`). */
  actionAsWritten?: string;
}

export interface PlayInfo {
  name: string; // what is shown in PLAY [..] (the hosts pattern when unnamed)
  hosts: string[]; // matched hosts
  check: boolean;
  /** file:line of the play (the json reporter records it). */
  path?: string;
}

export interface HostResult {
  host: string;
  /** When delegate_to targets another host: "host -> delegated". */
  delegatedTo?: string;
  task: TaskInfo;
  status: TaskStatus;
  /** The module's result as registered (keys as Ansible: changed, failed, msg, rc, results...). */
  result: Record<string, unknown>;
  /** True for failures under ignore_errors (printed with "...ignoring"). */
  ignored: boolean;
  /** The per-item label for loop item results. */
  itemLabel?: unknown;
}

export interface Stats {
  /** Per host counters for PLAY RECAP, in Ansible's order. */
  hosts: Record<string, HostStats>;
  /** set_stats data per host, and under '_run' for the whole run. */
  custom?: Record<string, Record<string, unknown>>;
}

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface Reporter {
  /** playCount (optional) gives -vv's "N plays in file" line. */
  onPlaybookStart?(playbookPath: string, playCount?: number): void;
  onPlayStart?(play: PlayInfo): void;
  onTaskStart?(task: TaskInfo): void;
  onHandlerTaskStart?(task: TaskInfo): void;
  /** One loop item finished (printed as "ok: [h] => (item=...)"). */
  onItemResult?(result: HostResult): void;
  /** A task finished on a host (for loops: the aggregate after the items). */
  onTaskResult?(result: HostResult): void;
  /** "included: /path/file.yml for host1, host2" */
  onIncluded?(file: string, hosts: string[], task: TaskInfo, itemLabel?: unknown): void;
  onNoHostsMatched?(): void;
  onNoMoreHosts?(): void;
  /** A retry of an until loop: "FAILED - RETRYING: [h]: name (N retries left)." */
  onRetry?(result: HostResult, retriesLeft: number): void;
  onDiff?(host: string, diff: unknown): void;
  /** An async task's job was checked (poll), or finished (ok / failed): "ASYNC POLL on h: jid=...". */
  onAsyncStatus?(host: string, kind: 'poll' | 'ok' | 'failed', result: Record<string, unknown>): void;
  onWarning?(message: string): void;
  onDeprecation?(message: string): void;
  /** A fatal error not tied to a host (parse error, bad option): printed as "ERROR! ..." */
  onError?(message: string): void;
  /** Verbose message shown at the given -v level. */
  onVerbose?(message: string, level: number): void;
  onPlaybookEnd?(stats: Stats): void;
}
