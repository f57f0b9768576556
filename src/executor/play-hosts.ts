// Which of a play's hosts are still in it: ansible_play_hosts and ansible_play_batch, refreshed after
// every task as hosts fail (hosts down since earlier batches and plays stay out).
import type { RunContext } from './context';
import type { BatchState } from './section';

/** A host that failed or was unreachable earlier in the run (it runs nothing more). */
export function isDown(ctx: RunContext, host: string): boolean {
  return ctx.failedHosts.has(host) || ctx.unreachableHosts.has(host);
}

/**
 * ansible_play_hosts (the play's hosts that have not failed, this batch's finished hosts out) and
 * ansible_play_batch (this batch's hosts still running), as new lists: values already taken keep theirs.
 */
export function refreshPlayHosts(ctx: RunContext, state: BatchState): void {
  const scope = state.scope;
  const inBatch = new Set(scope.playBatch);
  const alive = (h: string) => !isDown(ctx, h) && !state.failed.has(h) && !state.unreachable.has(h);
  scope.playHosts = scope.playHostsAll.filter((h) => alive(h) && (!inBatch.has(h) || state.active.has(h)));
  scope.playBatchAlive = scope.playBatch.filter((h) => alive(h) && state.active.has(h));
}
