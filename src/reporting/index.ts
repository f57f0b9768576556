// Picks the reporter for a run: "default" text (Ansible's default callback) or "json"
// (ansible.posix.json), from --json or ansible.cfg's stdout_callback, followed by the enabled
// aggregate callbacks (profile_tasks, profile_roles, timer).
import { enabledCallbacks } from './callbacks';
import type { Clock } from './callbacks/clock';
import { composeReporters } from './composite';
import { DefaultReporter, type TextReporterOptions } from './default';
import { Display } from './display';
import { JsonReporter } from './json';
import type { Reporter } from './types';

export { DefaultReporter } from './default';
export { JsonReporter } from './json';
export { Display, type OutStream } from './display';
export { formatPlaybookListing, type ListedPlay, type ListedTask, type ListRequest } from './listing';
export { formatDiff } from './difftext';

const JSON_NAMES = new Set(['json', 'ansible.posix.json', 'community.general.json']);

export function isJsonCallback(name: string): boolean {
  return JSON_NAMES.has(name);
}

export interface EnabledCallbacks {
  /** callbacks_enabled, in order (profile_tasks, ansible.posix.timer, ...). */
  names: string[];
  env: Record<string, string | undefined>;
  /** ansible.cfg entries as "section.key" → value (callback options). */
  cfg: Record<string, string>;
  clock?: Clock;
}

/** Unknown stdout callback names fall back to the default text output; enabled callbacks follow it. */
export function createReporter(callback: string, opts: TextReporterOptions, enabled?: EnabledCallbacks): Reporter {
  const stdout = isJsonCallback(callback) ? new JsonReporter({ out: opts.out, err: opts.err }) : new DefaultReporter(opts);
  if (!enabled || enabled.names.length === 0) return stdout;
  const display = new Display({ out: opts.out, err: opts.err, verbosity: opts.verbosity, color: opts.color });
  return composeReporters(stdout, enabledCallbacks(enabled.names, { display, env: enabled.env, cfg: enabled.cfg, clock: enabled.clock }));
}
