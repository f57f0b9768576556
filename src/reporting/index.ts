// Picks the reporter for a run: "default" text (Ansible's default callback) or "json"
// (ansible.posix.json), from --json or ansible.cfg's stdout_callback.
import { DefaultReporter, type TextReporterOptions } from './default';
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

/** Unknown callback names fall back to the default text output. */
export function createReporter(callback: string, opts: TextReporterOptions): Reporter {
  if (isJsonCallback(callback)) return new JsonReporter({ out: opts.out, err: opts.err });
  return new DefaultReporter(opts);
}
