// The one run context passed down through the executor: options, inventory, vars,
// registry, loader, connections, reporter and stats. Nothing global.
import type { RunOptions } from '../api/types';
import type { ConnectionPool } from '../connection/pool';
import type { Inventory } from '../inventory';
import type { ModuleRegistry } from '../modules/registry';
import type { LoaderContext } from '../playbook/loader';
import type { Reporter } from '../reporting/types';
import type { LookupFn } from '../template/plugin-types';
import type { TemplarApi, TemplarOptions } from '../template/types';
import type { VariableManager } from '../vars/manager';
import type { AsyncJobs } from './async-task';
import type { StatsCollector } from './stats';

export interface RunContext {
  options: RunOptions;
  reporter: Reporter;
  inventory: Inventory;
  registry: ModuleRegistry;
  loader: LoaderContext;
  vars: VariableManager;
  stats: StatsCollector;
  connections: ConnectionPool;
  /** Background jobs of tasks with `async` (their state also in job files on the targets). */
  asyncJobs: AsyncJobs;
  omitToken: string;
  /** Lookup plugins, for with_<lookup> loops. */
  lookups: Record<string, LookupFn>;
  /** Creates a Templar over the given variables. */
  templar(vars: Record<string, unknown>, options?: Partial<TemplarOptions>): TemplarApi;
  /** Hosts that failed or were unreachable in earlier plays are left out of later ones. */
  failedHosts: Set<string>;
  unreachableHosts: Set<string>;
  /** Set by SIGINT: stop at the next task boundary. */
  interrupted: boolean;
  /** --start-at-task: cleared once the task is reached. */
  startAtTask?: string;
  /** --step: asks the user; set by the API when stdin can answer. */
  prompt?: (question: string) => Promise<string>;
  /** --step answered "continue": stop asking. */
  stepContinue?: boolean;
}
