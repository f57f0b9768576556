// Several reporters as one: every event goes to the stdout callback first, then to each enabled
// callback in order (as Ansible's task queue manager sends them).
import type { Reporter } from './types';

type Hook = keyof Reporter;

/** Every hook of the contract (the compiler checks none is missing). */
const HOOK_SET = {
  onPlaybookStart: true, onPlayStart: true, onTaskStart: true, onHandlerTaskStart: true, onItemResult: true,
  onTaskResult: true, onIncluded: true, onNoHostsMatched: true, onNoMoreHosts: true, onRetry: true, onDiff: true, onAsyncStatus: true,
  onWarning: true, onDeprecation: true, onError: true, onVerbose: true, onPlaybookEnd: true,
} satisfies Record<Hook, true>;
const HOOKS = Object.keys(HOOK_SET) as Hook[];

/** The reporters behind one Reporter; with no extra callbacks the stdout one is returned as is. */
export function composeReporters(stdout: Reporter, extra: Reporter[]): Reporter {
  if (extra.length === 0) return stdout;
  const all = [stdout, ...extra];
  const composite: Reporter = {};
  for (const hook of HOOKS) {
    const targets = all.filter((r) => typeof r[hook] === 'function');
    if (targets.length === 0) continue;
    (composite as Record<Hook, unknown>)[hook] = (...args: unknown[]) => {
      for (const r of targets) (r[hook] as (...a: unknown[]) => void).apply(r, args);
    };
  }
  return composite;
}
