// Signatures of filters, tests and lookups, shared by the Templar and the plugin libraries.
import type { LookupContext, TemplarApi } from './types';

export interface PluginContext {
  /** The templar that is rendering (for lookups that template, e.g. `template`, `vars`). */
  templar: TemplarApi;
  /** Resolves a variable by name as the template sees it (templated); Undefined when missing. */
  resolveVariable(name: string): unknown;
  lookups?: LookupContext;
  /** For with_<lookup> loops: the directory kind the task's action reads (Ansible's lookup _subdir). */
  subdir?: 'files' | 'templates' | 'vars';
  /** Names of every variable the template sees, in Ansible's order (varnames lookup). */
  variableNames?(): string[];
  /** The run's filters and tests (with the playbook's Python plugins), for select/map by name. */
  plugins?: { filters: Record<string, FilterFn>; tests: Record<string, TestFn> };
}

/** value | filter(args..., kw=...) */
export type FilterFn = (ctx: PluginContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown;
/** value is test(args...) */
export type TestFn = (ctx: PluginContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>) => boolean;
/** lookup('name', terms..., kw=...) / query(...) / with_name: always returns a list */
export type LookupFn = (ctx: PluginContext, terms: unknown[], kwargs: Record<string, unknown>) => unknown[];
