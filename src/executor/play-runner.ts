// Runs a play: hosts and serial batches, vars_files, fact gathering, the sections
// (pre_tasks, roles+tasks, post_tasks) each followed by a handler flush, strategies.
import { reservedNamesIn } from '../playbook/reserved';
import * as fs from 'fs';
import { isVaultText, VAULT_HEADER } from '../vault/envelope';
import { TsibleError } from '../errors';
import type { Block, Play, Task } from '../playbook/model';
import { SettingsReader } from '../config/settings';
import { isDict, pyStr } from '../template/pyvalues';
import { toBool } from '../modules/args';
import type { PlayScope } from '../vars/manager';
import type { RunContext } from './context';
import { HostCursor } from './cursor';
import { TaskOrder } from './task-order';
import { HandlerRegistry } from './handlers';
import { runTaskForHosts, type BatchState } from './section';
import { isDown, refreshPlayHosts } from './play-hosts';
import { serialBatches } from './serial';
import { findControllerFile } from './controller-access';

/** Hosts whose failure surfaced after an `always` section leave the play. */
function sweepFailed(state: BatchState): void {
  for (const [h, c] of state.cursors) {
    if (c.failed && state.active.has(h)) {
      state.failed.add(h);
      state.active.delete(h);
    }
  }
}

/** Runs one section (a list of top-level blocks) with the linear strategy: hosts in lockstep,
 *  each step running the task that comes first in the section's written order (TaskOrder). */
async function runLinear(ctx: RunContext, state: BatchState, blocks: Block[]): Promise<void> {
  state.cursors = new Map([...state.active].map((h) => [h, new HostCursor(blocks)]));
  const order = new TaskOrder(blocks);
  state.onIncluded = (included) => order.insert(included);
  try {
    for (;;) {
      if (ctx.interrupted) throw new TsibleError('INTERRUPTED', 'User interrupted execution');
      sweepFailed(state);
      if (state.endPlay || state.endBatch) return;
      const peeked = [...state.cursors]
        .filter(([h]) => state.active.has(h))
        .map(([h, c]) => ({ h, c, pos: c.peek() }))
        .filter((x) => x.pos !== null);
      if (!peeked.length) {
        for (const [, c] of state.cursors) c.next();
        sweepFailed(state);
        return;
      }
      // a task the order does not know (never expected) runs first, as the earliest block would
      const chosenId = order.pick(new Set(peeked.map((p) => p.pos!.task.id))) ?? peeked[0]!.pos!.task.id;
      const chosen = peeked.filter((p) => p.pos!.task.id === chosenId);
      for (const { c } of chosen) c.next();
      const task = chosen[0]!.pos!.task;
      await runTaskForHosts(ctx, state, task, chosen.map((p) => p.h).filter((h) => state.active.has(h)));
    }
  } finally {
    state.onIncluded = undefined;
  }
}

/** The free strategy: every host runs through the section at its own pace, `forks` tasks at a time. */
async function runFree(ctx: RunContext, state: BatchState, blocks: Block[]): Promise<void> {
  state.cursors = new Map([...state.active].map((h) => [h, new HostCursor(blocks)]));
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    while (running >= ctx.options.forks) await new Promise<void>((r) => waiting.push(r));
    running++;
  };
  const done = (): void => {
    running--;
    waiting.shift()?.();
  };
  await Promise.all(
    [...state.cursors].map(async ([h, c]) => {
      for (;;) {
        if (ctx.interrupted) throw new TsibleError('INTERRUPTED', 'User interrupted execution');
        if (state.endPlay || state.endBatch || !state.active.has(h)) return;
        const pos = c.next();
        sweepFailed(state);
        if (!pos) return;
        await slot();
        try {
          await runTaskForHosts(ctx, state, pos.task, [h]);
        } finally {
          done();
        }
      }
    }),
  );
}

/** A handler failed for a host: a flush_handlers inside a block hands the failure to the block
 *  (its rescue and always run, the host goes on when rescued), as ansible-core 2.14 does. */
function failedInHandler(ctx: RunContext, state: BatchState, host: string): void {
  const cursor = state.cursors.get(host);
  if (cursor && !cursor.finished) {
    cursor.fail();
    if (!cursor.failed) {
      state.failed.delete(host);
      state.active.add(host);
      refreshPlayHosts(ctx, state);
      return;
    }
  }
  (state.handlerFailed ??= new Set()).add(host);
}

/** The tasks an include_tasks handler brought in, run right after it (hosts in step). */
async function runIncludedHandlerTasks(ctx: RunContext, state: BatchState, hosts: string[]): Promise<void> {
  for (;;) {
    const byTask = new Map<number, { task: Task; hosts: string[] }>();
    for (const h of hosts) {
      if (!state.active.has(h)) continue;
      const pos = state.cursors.get(h)?.next();
      if (!pos) continue;
      const g = byTask.get(pos.task.id) ?? { task: pos.task, hosts: [] };
      g.hosts.push(h);
      byTask.set(pos.task.id, g);
    }
    if (!byTask.size) return;
    for (const g of byTask.values()) await runTaskForHosts(ctx, state, g.task, g.hosts.filter((h) => state.active.has(h)));
  }
}

async function flushHandlers(ctx: RunContext, state: BatchState): Promise<void> {
  const force = state.scope.play.forceHandlers ?? ctx.options.forceHandlers ?? ctx.options.config.forceHandlers;
  const forced = force === true || force === 'yes' || force === 'true';
  let position = 0;
  // a host whose handler failed runs no more handlers in this flush (nor later, unless a block rescued it)
  const failedThisFlush = new Set<string>();
  for (;;) {
    const eligible = [...state.scope.playBatch].filter((h) => !failedThisFlush.has(h) && !state.handlerFailed?.has(h) && (state.active.has(h) || (forced && state.failed.has(h))));
    const pending = state.handlers.nextPending(eligible, position);
    if (!pending) return;
    position = pending.index + 1;
    const savedCursors = state.cursors;
    const single: Block = { kind: 'block', id: -pending.handler.id, block: [pending.handler], rescue: [], always: [], when: [], tags: [], vars: {}, keywords: {} };
    state.cursors = new Map(pending.hosts.map((h) => [h, new HostCursor([single])]));
    for (const h of pending.hosts) state.cursors.get(h)?.next();
    for (const h of pending.hosts) if (forced) state.active.add(h);
    const failedBefore = new Set(state.failed);
    await runTaskForHosts(ctx, state, pending.handler, pending.hosts.filter((h) => state.active.has(h)));
    await runIncludedHandlerTasks(ctx, state, pending.hosts);
    state.handlers.ran(pending.handler, pending.hosts);
    state.cursors = savedCursors;
    for (const h of state.failed) {
      if (failedBefore.has(h)) continue;
      failedThisFlush.add(h);
      failedInHandler(ctx, state, h);
    }
  }
}

function loadVarsFiles(ctx: RunContext, play: Play, host: string, scope: PlayScope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!play.varsFiles.length) return out;
  const templar = ctx.templar(ctx.vars.getVars(host, scope));
  for (const entry of play.varsFiles) {
    const candidates = Array.isArray(entry) ? entry : [entry];
    let loaded = false;
    for (const c of candidates) {
      const name = pyStr(templar.template(c));
      const file = findControllerFile([play.baseDir], 'vars', name);
      if (!file) continue;
      const data = ctx.loader.load(file);
      if (data !== null && !isDict(data)) throw new TsibleError('PARSE', `vars file ${name} must contain a dictionary`);
      Object.assign(out, data ?? {});
      loaded = true;
      break;
    }
    if (!loaded) {
      throw new TsibleError('MISSING_FILE', `vars file ${pyStr(candidates[candidates.length - 1])} was not found\nCould not find file on the Ansible Controller.`);
    }
  }
  return out;
}

/**
 * Ansible reads the play's vars_files once before the PLAY banner (those named without
 * templating): a vault-encrypted one that cannot be decrypted stops the run there.
 */
function preloadVaultedVarsFiles(ctx: RunContext, play: Play): void {
  for (const entry of play.varsFiles) {
    if (typeof entry !== 'string' || entry.includes('{{')) continue;
    const file = findControllerFile([play.baseDir], 'vars', entry);
    if (file && isVaultFile(file)) ctx.loader.load(file);
  }
}

function isVaultFile(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(VAULT_HEADER.length);
      fs.readSync(fd, head, 0, head.length, 0);
      return isVaultText(head);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The implicit setup's arguments: the play's gather_* keywords, else the configuration. */
function gatherArgs(ctx: RunContext, play: Play): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const settings = new SettingsReader(ctx.options.config);
  const setting = (name: string): unknown => {
    const r = settings.get(name);
    return r.found ? r.value : undefined;
  };
  const subset = play.gatherSubset ?? setting('DEFAULT_GATHER_SUBSET');
  const timeout = play.gatherTimeout ?? setting('DEFAULT_GATHER_TIMEOUT');
  const factPath = play.factPath ?? setting('DEFAULT_FACT_PATH');
  if (subset !== undefined && subset !== null) args.gather_subset = subset;
  if (timeout !== undefined && timeout !== null) args.gather_timeout = timeout;
  if (factPath !== undefined && factPath !== null) args.fact_path = factPath;
  return args;
}

function gatherBlock(ctx: RunContext, play: Play): Block | undefined {
  if (!ctx.registry.get('setup')) return undefined;
  const block: Block = { kind: 'block', id: ctx.loader.nextId(), block: [], rescue: [], always: [], when: [], tags: ['always'], vars: {}, keywords: {} };
  const task: Task = {
    kind: 'task', id: ctx.loader.nextId(), name: 'Gathering Facts', action: 'gather_facts', actionAsWritten: 'gather_facts',
    args: gatherArgs(ctx, play), location: play.location,
    // every host gathers its own facts, even in a run_once play (ansible/ansible#39453)
    when: [], tags: [], vars: {}, keywords: { runOnce: false }, notify: [], listen: [], isHandler: false, parent: block,
  };
  block.block = [task];
  return block;
}

function shouldGather(ctx: RunContext, play: Play): boolean {
  const gf = play.gatherFacts;
  if (gf === undefined || gf === null) return ctx.options.config.gathering !== 'explicit';
  try {
    return toBool(typeof gf === 'string' && gf.includes('{{') ? ctx.templar({}).template(gf) : gf);
  } catch {
    return true;
  }
}

export interface PlayResult {
  failed: Set<string>;
  unreachable: Set<string>;
  anyErrorsFatal: boolean;
  /** Every host of a batch failed in it: no further play runs. */
  endPlaybook?: boolean;
}

export async function runPlay(ctx: RunContext, play: Play): Promise<PlayResult> {
  const result: PlayResult = { failed: new Set(), unreachable: new Set(), anyErrorsFatal: false };
  const patternTemplar = ctx.templar({ ...play.importVars, ...play.vars, ...Object.assign({}, ...ctx.options.extraVars) });
  const pattern = patternTemplar.template(play.hostsPattern);
  const patterns = Array.isArray(pattern) ? pattern.map(pyStr) : pyStr(pattern);
  // every host of the pattern, those that failed in earlier plays too: they take their place in
  // the serial batches but run nothing (as Ansible's batches are cut from the inventory's hosts)
  const all = ctx.inventory.resolvePattern(patterns).map((h) => h.name);
  const name = play.name ? pyStr(patternTemplar.template(play.name)) : Array.isArray(patterns) ? patterns.join(',') : patterns;
  const playVarNames = [play.importVars, play.vars, ...ctx.options.extraVars, ...play.roles.flatMap((r) => [r.defaults, r.vars])].flatMap((v) => Object.keys(v));
  for (const reserved of reservedNamesIn(playVarNames)) ctx.reporter.onWarning?.(`Found variable using reserved name: ${reserved}`);
  preloadVaultedVarsFiles(ctx, play);
  ctx.reporter.onPlayStart?.({ name, hosts: all, check: ctx.options.check });
  if (!all.length) {
    ctx.reporter.onNoHostsMatched?.();
    return result;
  }
  const gatherWanted = shouldGather(ctx, play);
  for (const [batchIndex, batch] of serialBatches(all, play.serial).entries()) {
    // a fact-gathering task of its own per batch, as Ansible's per-batch iterator (profile_tasks lists each)
    const gather = gatherWanted ? gatherBlock(ctx, play) : undefined;
    // Ansible prints the PLAY banner again for every serial batch
    if (batchIndex > 0) ctx.reporter.onPlayStart?.({ name, hosts: batch, check: ctx.options.check });
    const scope: PlayScope = { play, playHosts: [], playHostsAll: all, playBatch: batch, varsFiles: new Map() };
    const state: BatchState = {
      scope, cursors: new Map(), handlers: new HandlerRegistry(play), active: new Set(batch.filter((h) => !isDown(ctx, h))), failed: new Set(),
      unreachable: new Set(), endPlay: false, endBatch: false, flushHandlers: async () => undefined, hostPatterns: patterns,
    };
    refreshPlayHosts(ctx, state);
    for (const h of state.active) scope.varsFiles.set(h, loadVarsFiles(ctx, play, h, scope));
    state.flushHandlers = () => flushHandlers(ctx, state);
    const run = play.strategy === 'free' ? runFree : runLinear;
    const sections = [gather ? [gather] : [], play.preTasks, play.tasks, play.postTasks];
    for (const [i, blocks] of sections.entries()) {
      await run(ctx, state, blocks);
      refreshPlayHosts(ctx, state);
      if (i > 0 && !state.endPlay) await flushHandlers(ctx, state);
      if (state.endPlay || state.endBatch || state.active.size === 0) break;
    }
    for (const h of state.failed) result.failed.add(h);
    for (const h of state.unreachable) result.unreachable.add(h);
    // later batches and plays see this batch's failures
    for (const h of state.failed) ctx.failedHosts.add(h);
    for (const h of state.unreachable) ctx.unreachableHosts.add(h);
    if (state.anyErrorsFatal) {
      ctx.reporter.onNoMoreHosts?.();
      result.anyErrorsFatal = true;
      break;
    }
    if (state.endPlay) break;
    // a batch whose every host failed in it ends the playbook (Ansible's break_play)
    if (batch.every((h) => state.failed.has(h) || state.unreachable.has(h))) {
      result.endPlaybook = true;
      break;
    }
  }
  return result;
}
