// How a task result is shown: Ansible's TaskResult.clean_copy (no_log censoring, dropped status
// keys) and CallbackBase._dump_results/_clean_results (internal keys hidden, sorted JSON).
import { isDict, pyJsonDumps, pyStr } from '../template/pyvalues';
import type { HostResult, TaskInfo, TaskStatus } from './types';

export const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

const DEBUG_ACTIONS = new Set(['debug', 'ansible.builtin.debug', 'ansible.legacy.debug']);
const DEBUG_ALLOWED = new Set(['msg', 'exception', 'warnings', 'deprecations']);
const HIDE_IN_DEBUG = ['changed', 'failed', 'skipped', 'invocation', 'skip_reason'];
const KEPT_INTERNAL = new Set(['_ansible_verbose_always', '_ansible_item_label', '_ansible_no_log', '_ansible_verbose_override', '_ansible_resolved_action']);

/** The module a templated action name (`action: "{{ module }}"`) resolved to, else the task's action. */
function resolvedAction(result: Record<string, unknown>, action: string): string {
  return typeof result._ansible_resolved_action === 'string' ? result._ansible_resolved_action : action;
}

export function isDebugAction(action: string): boolean {
  return DEBUG_ACTIONS.has(action);
}

function stripInternal(v: unknown, keep: Set<string>): unknown {
  if (Array.isArray(v)) return v.map((x) => stripInternal(x, keep));
  if (!isDict(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('_ansible_') && !keep.has(k)) continue;
    out[k] = stripInternal(x, keep);
  }
  return out;
}

/**
 * The copy callbacks receive: censored under no_log, without failed/skipped (the event says it),
 * and (debug) without invocation. The debug action is verbose by default even when the engine
 * did not set _ansible_verbose_always.
 */
export function cleanCopy(result: Record<string, unknown>, task: TaskInfo, status: TaskStatus = 'ok'): Record<string, unknown> {
  if (task.noLog || result._ansible_no_log === true) {
    const x: Record<string, unknown> = { censored: CENSORED };
    for (const k of ['attempts', 'changed', 'retries']) if (k in result) x[k] = result[k];
    return x;
  }
  const debug = isDebugAction(resolvedAction(result, task.action));
  const copy = stripInternal(result, KEPT_INTERNAL) as Record<string, unknown>;
  for (const k of debug ? ['failed', 'skipped', 'invocation'] : ['failed', 'skipped']) delete copy[k];
  // only a debug that ran (not skipped, not a loop aggregate) is verbose
  const ran = status === 'ok' || status === 'changed';
  if (debug && ran && !('results' in copy) && !('_ansible_verbose_always' in copy)) copy._ansible_verbose_always = true;
  return copy;
}

/** _clean_results: debug shows only its msg, or only its var. */
export function cleanForDisplay(result: Record<string, unknown>, action: string): void {
  if (!isDebugAction(resolvedAction(result, action))) return;
  if ('msg' in result) {
    for (const k of Object.keys(result)) if (!DEBUG_ALLOWED.has(k) && !k.startsWith('_')) delete result[k];
  } else {
    for (const k of HIDE_IN_DEBUG) delete result[k];
  }
}

export function isVerbose(result: Record<string, unknown>, verbosity: number, above = 0): boolean {
  return (verbosity > above || result._ansible_verbose_always === true) && result._ansible_verbose_override !== true;
}

/** json.dumps(sort_keys=True, ensure_ascii=False), indented when verbose_always or -vvv. */
export function dumpResults(result: Record<string, unknown>, verbosity: number, indent?: number): string {
  const useIndent = indent ?? (result._ansible_verbose_always || verbosity > 2 ? 4 : undefined);
  const abridged = stripInternal(result, new Set()) as Record<string, unknown>;
  if (verbosity < 3) {
    delete abridged.invocation;
    delete abridged.diff;
  }
  delete abridged.exception;
  return pyJsonDumps(abridged, { indent: useIndent, sortKeys: true, ensureAscii: false });
}

/** The "(item=...)" text, from the cleaned result (a censored result has no item: "None"). */
export function itemLabel(result: Record<string, unknown>, hostResult: HostResult): string {
  if (result._ansible_no_log === true) return '(censored due to no_log)';
  if ('censored' in result) return 'None';
  if ('_ansible_item_label' in result) return pyStr(result._ansible_item_label);
  if (hostResult.itemLabel !== undefined) return pyStr(hostResult.itemLabel);
  return pyStr(result.item ?? null);
}

/** "host" or "host -> delegate" (delegatedTo may already be "host -> delegate"). */
export function hostLabel(r: HostResult): string {
  if (!r.delegatedTo || r.delegatedTo === r.host) return r.host;
  if (r.delegatedTo.includes(' -> ')) return r.delegatedTo;
  let label = `${r.host} -> ${r.delegatedTo}`;
  // the delegated host's own address, when it differs from its name: "h -> db(10.0.0.5)"
  const dv = r.result._ansible_delegated_vars;
  const address = isDict(dv) ? dv.ansible_host : undefined;
  if (typeof address === 'string' && address !== r.delegatedTo) label += `(${address})`;
  return label;
}
