// Runs one task for a group of hosts (the unit both strategies share): banner, tag and
// start-at-task filtering, run_once, forks, then results, includes, meta and handlers.
import * as path from 'path';
import { TsibleError } from '../errors';
import { SettingsReader } from '../config/settings';
import { loadIncludedRole, loadIncludedTasks, resolveTasksFile } from '../playbook/loader';
import { readKeywords } from '../playbook/task-parser';
import type { Block, Play, Task } from '../playbook/model';
import { isDict, pyStr } from '../template/pyvalues';
import type { RunContext } from './context';
import type { HostCursor } from './cursor';
import type { HandlerRegistry } from './handlers';
import { effectiveNotify, effectiveTags, keyword } from './inherit';
import { loopVarsOf } from './loop';
import { refreshPlayHosts } from './play-hosts';
import { applyFacts, countOutcome, registeredShape, type FailHandling } from './results';
import { shouldRunTags } from './tags';
import { taskInfo } from './task-info';
import type { TaskInfo } from '../reporting/types';
import { checkRegisterName, runTaskOnHost, type HostTaskOutcome, type IncludeRequest } from './task-runner';
import type { PlayScope } from '../vars/manager';

export interface BatchState {
  scope: PlayScope;
  cursors: Map<string, HostCursor>;
  handlers: HandlerRegistry;
  /** Hosts still running tasks in this batch. */
  active: Set<string>;
  failed: Set<string>;
  unreachable: Set<string>;
  /** Set by meta: end_play or any_errors_fatal / max_fail_percentage. */
  endPlay: boolean;
  endBatch: boolean;
  /** Flushes handlers now (meta: flush_handlers). */
  flushHandlers: () => Promise<void>;
  /** any_errors_fatal or max_fail_percentage stopped the play. */
  anyErrorsFatal?: boolean;
  /** The play's host pattern, templated: meta refresh_inventory resolves it again. */
  hostPatterns?: string | string[];
  /** The linear strategy's task order learns of included tasks here. */
  onIncluded?: (blocks: Block[]) => void;
  /** Hosts that failed in a handler: they run no further handlers. */
  handlerFailed?: Set<string>;
}

/** Runs async work over items with at most `limit` running at once, keeping result order. */
export async function withForks<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

function templateName(ctx: RunContext, state: BatchState, task: Task): string {
  if (!task.name && task.action === 'include_role') return `${task.actionAsWritten} : ${pyStr(task.args.name ?? task.args.role)}`;
  if (!task.name || !task.name.includes('{{')) return task.name ?? task.actionAsWritten;
  const host = [...state.active][0] ?? state.scope.playBatch[0];
  try {
    const vars = ctx.vars.getVars(host as string, state.scope, task);
    return pyStr(ctx.templar(vars).template(task.name));
  } catch {
    return task.name;
  }
}

/** A handler's name for notify lookups: templated, an undefined variable in it an error. */
function handlerName(ctx: RunContext, state: BatchState, handler: Task): string {
  if (!handler.name || !handler.name.includes('{{')) return handler.name ?? handler.actionAsWritten;
  const host = [...state.active][0] ?? state.scope.playBatch[0];
  return pyStr(ctx.templar(ctx.vars.getVars(host as string, state.scope, handler)).template(handler.name));
}

export function taskIsSelected(ctx: RunContext, state: BatchState, task: Task): boolean {
  // a notified handler runs whatever --tags/--skip-tags say (ansible-core 2.14)
  if (task.isHandler) return true;
  const tags = effectiveTags(task, state.scope.play);
  return shouldRunTags(tags, { only: ctx.options.tags, skip: ctx.options.skipTags });
}

export async function runTaskForHosts(ctx: RunContext, state: BatchState, task: Task, hosts: string[]): Promise<void> {
  const play = state.scope.play;
  const isInclude = task.action === 'include_tasks' || task.action === 'include_role' || task.action === 'include';
  if (!taskIsSelected(ctx, state, task)) return;
  if (ctx.startAtTask !== undefined) {
    const name = templateName(ctx, state, task);
    const banner = task.role ? `${task.role.name} : ${name}` : name;
    if (name === ctx.startAtTask || banner === ctx.startAtTask) ctx.startAtTask = undefined;
    else if (!isInclude) return;
  }
  const info = { ...taskInfo(task, play) };
  const shown = templateName(ctx, state, task);
  info.name = task.role && task.action !== 'include_role' ? `${task.role.name} : ${shown}` : shown;
  if (task.action === 'meta') {
    await runMetaForHosts(ctx, state, task, hosts, info);
    return;
  }
  if (ctx.options.step && !(await stepConfirms(ctx, info.name))) return;
  if (task.isHandler) ctx.reporter.onHandlerTaskStart?.(info);
  else ctx.reporter.onTaskStart?.(info);

  const runOnce = keyword(task, 'runOnce', play);
  const once = runOnce === true || runOnce === 'yes' || runOnce === 'true';
  // add_host bypasses the host loop: it runs for the first host only, and only that host registers it
  const bypassHostLoop = BYPASS_HOST_LOOP.has(task.action);
  const onceHosts = once || bypassHostLoop ? hosts.slice(0, 1) : hosts;
  const throttle = Number(keyword(task, 'throttle', play) ?? 0);
  const limit = throttle > 0 ? Math.min(throttle, ctx.options.forks) : ctx.options.forks;
  const notifiedFor = new Set<string>();
  const outcomes = await withForks(onceHosts, limit, async (host) => {
    const o = await runTaskOnHost(ctx, state.scope, task, host);
    // as Ansible's strategy: handlers are looked up (a missing one is an error) before the result shows
    if (o.status === 'changed' && effectiveNotify(task).length) {
      notify(ctx, state, task, o);
      notifiedFor.add(host);
    }
    reportOutcome(ctx, task, o, play);
    return o;
  });
  if (once && onceHosts.length < hosts.length && outcomes[0]) {
    // run_once: every host registers and counts the first host's result
    for (const host of hosts.slice(1)) outcomes.push({ ...outcomes[0], host });
  }
  const includes: { host: string; req: IncludeRequest }[] = [];
  for (const [i, o] of outcomes.entries()) {
    // run_once: only the host that ran counts in the recap
    await processOutcome(ctx, state, task, o, i < onceHosts.length, notifiedFor.has(o.host) && i < onceHosts.length);
    // run_once on an include: the file is included for the host that ran it only (the others skip its tasks)
    if (i < onceHosts.length) for (const req of o.includes) includes.push({ host: o.host, req });
  }
  if (once && outcomes[0]) shareRunOnceResult(ctx, state, task, outcomes[0], hosts);
  checkRegisterName(task);
  await handleIncludes(ctx, state, task, includes);
  for (const o of outcomes) if (o.meta) await handleMeta(ctx, state, o.meta, o.host, task);
  checkFailurePolicies(ctx, state, task);
}

/** run_once: the batch's hosts that did not take part in the task (an include run for the first
 *  host only, hosts failed earlier) still register its result and get its facts, as Ansible's
 *  get_task_hosts gives them to every reachable host of the batch. */
function shareRunOnceResult(ctx: RunContext, state: BatchState, task: Task, first: HostTaskOutcome, ran: string[]): void {
  const took = new Set(ran);
  for (const host of state.cursors.keys()) {
    if (took.has(host) || state.unreachable.has(host)) continue;
    if (task.register) ctx.vars.setNonPersistent(host, { [task.register]: registeredShape(first.result, task.action) });
    applyFacts(ctx, task, { ...first, host }, host, false);
  }
}

const BYPASS_HOST_LOOP = new Set(['add_host']);

/** Meta actions Ansible's linear strategy runs for every host; the others run for the first host only. */
const PER_HOST_META = new Set(['noop', 'reset_connection', 'end_host', 'role_complete', 'flush_handlers']);

/** Meta tasks as Ansible runs them: a banner per host run, never counted in the recap. */
async function runMetaForHosts(ctx: RunContext, state: BatchState, task: Task, hosts: string[], info: TaskInfo): Promise<void> {
  const targets = PER_HOST_META.has(pyStr(task.args._raw_params)) ? hosts : hosts.slice(0, 1);
  let flush = false;
  for (const host of targets) {
    if (task.isHandler) ctx.reporter.onHandlerTaskStart?.(info);
    else ctx.reporter.onTaskStart?.(info);
    if (task.isHandler && pyStr(task.args._raw_params) === 'flush_handlers') throw new TsibleError('PARSE', 'flush_handlers cannot be used as a handler', undefined, 1);
    const o = await runTaskOnHost(ctx, state.scope, task, host);
    describeMeta(ctx, pyStr(task.args._raw_params), host, o);
    reportOutcome(ctx, task, o);
    await processOutcome(ctx, state, task, o, false);
    // flush_handlers: every host's banner first, then the handlers once (Ansible's lockstep)
    if (o.meta === 'flush_handlers') flush ||= host === [...state.cursors.keys()].find((h) => state.active.has(h)) || !state.active.has(host);
    else if (o.meta) await handleMeta(ctx, state, o.meta, o.host, task);
  }
  if (flush) await state.flushHandlers();
  checkFailurePolicies(ctx, state, task);
}

/** What a skipped meta action tells, as Ansible's strategy words it. */
const META_SKIP_SUFFIX: Record<string, (host: string) => string> = {
  flush_handlers: (h) => `, not running handlers for ${h}`,
  clear_facts: (h) => `, not clearing facts and fact cache for ${h}`,
  clear_host_errors: (h) => `, not clearing host error state for ${h}`,
  end_batch: () => ', continuing current batch',
  end_play: () => ', continuing play',
  end_host: (h) => `, continuing execution for ${h}`,
};
const META_DONE: Record<string, (host: string) => string> = {
  noop: () => 'noop',
  flush_handlers: (h) => `triggered running handlers for ${h}`,
  refresh_inventory: () => 'inventory successfully refreshed',
  clear_facts: () => 'facts cleared',
  clear_host_errors: () => 'cleared host errors',
  end_batch: () => 'ending batch',
  end_play: () => 'ending play',
  end_host: (h) => `ending play for ${h}`,
  reset_connection: () => 'reset connection',
};

/** Fills the meta result (msg, skip_reason) and shows "META: ..." at -vv, as Ansible does. */
function describeMeta(ctx: RunContext, action: string, host: string, o: HostTaskOutcome): void {
  if (o.status === 'failed' || o.status === 'unreachable') return;
  if (o.status === 'skipped') {
    const reason = `${action} conditional evaluated to False${META_SKIP_SUFFIX[action]?.(host) ?? ''}`;
    o.result.skip_reason = reason;
    // a skipped meta's result has msg and skip_reason only (no `changed`)
    delete o.result.changed;
    o.result.msg = action === 'end_host' ? `end_host conditional evaluated to false, continuing execution for ${host}` : action;
    ctx.reporter.onVerbose?.(`META: ${reason}`, 2);
    return;
  }
  const msg = META_DONE[action]?.(host) ?? action;
  o.result.msg = msg;
  ctx.reporter.onVerbose?.(`META: ${msg}`, 2);
}

/** --step: "Perform task: TASK: name (N)o/(y)es/(c)ontinue:"; c stops asking. */
async function stepConfirms(ctx: RunContext, name: string): Promise<boolean> {
  if (ctx.stepContinue || !ctx.prompt) return true;
  const answer = (await ctx.prompt(`Perform task: TASK: ${name} (N)o/(y)es/(c)ontinue: `)).trim().toLowerCase();
  if (answer === 'c' || answer === 'continue') ctx.stepContinue = true;
  return answer === 'y' || answer === 'yes' || ctx.stepContinue === true;
}

function reportOutcome(ctx: RunContext, task: Task, o: HostTaskOutcome, play?: Play): void {
  if (o.meta) return;
  if (o.showDiff && o.result.diff !== undefined && !Array.isArray(o.result.results)) ctx.reporter.onDiff?.(o.host, o.result.diff);
  ctx.reporter.onTaskResult?.({
    host: o.host,
    delegatedTo: o.delegatedTo,
    task: taskInfo(task, play),
    status: o.status,
    result: o.result,
    ignored: o.ignored,
  });
}

async function processOutcome(ctx: RunContext, state: BatchState, task: Task, o: HostTaskOutcome, counted = true, notified = false): Promise<void> {
  const cursor = state.cursors.get(o.host);
  let handling: FailHandling = 'none';
  if (o.status === 'failed') {
    if (o.ignored) handling = 'ignored';
    else handling = cursor ? cursor.fail() : 'failed';
  }
  // A successful include counts as ok only once its file has loaded (handleIncludes);
  // include_role never counts.
  const pendingInclude = o.includes.length > 0 && (o.status === 'ok' || o.status === 'changed');
  if (!o.meta && !pendingInclude && counted) countOutcome(ctx, o, handling);
  if (task.register) ctx.vars.setNonPersistent(o.host, { [task.register]: registeredShape(o.result, task.action) });
  const delegateFacts = keyword(task, 'delegateFacts', state.scope.play);
  applyFacts(ctx, task, o, delegateFacts && o.delegatedTo ? o.delegatedTo : o.host, Boolean(delegateFacts));
  if (handling === 'rescued') {
    ctx.vars.setNonPersistent(o.host, {
      ansible_failed_task: { name: task.name ?? '', action: task.action },
      ansible_failed_result: registeredShape(o.result, task.action),
    });
  }
  // as Ansible's strategy: a changed result notifies; a failed one, even ignored, does not
  if (o.status === 'changed' && effectiveNotify(task).length && !notified) notify(ctx, state, task, o);
  if (o.status === 'unreachable') {
    const ignore = keyword(task, 'ignoreUnreachable', state.scope.play);
    if (!(ignore === true || ignore === 'yes')) {
      state.unreachable.add(o.host);
      state.active.delete(o.host);
      cursor?.stop();
    }
  } else if (handling === 'failed' && cursor?.failed) {
    state.failed.add(o.host);
    state.active.delete(o.host);
  } else if (handling === 'failed' && !cursor) {
    state.failed.add(o.host);
    state.active.delete(o.host);
  }
  // the next task already sees the host out of ansible_play_hosts / ansible_play_batch
  if (!state.active.has(o.host)) refreshPlayHosts(ctx, state);
}

/** The handler names a changed result notifies: the task's `notify` templated once, or for a
 *  loop once per item that ran (skipped items have none), with that item's loop variables,
 *  as Ansible templates it per item ("notify: restart {{ item }}"). */
function notifyTargets(ctx: RunContext, state: BatchState, task: Task, o: HostTaskOutcome): string[] {
  const vars = ctx.vars.getVars(o.host, state.scope, task);
  const results = o.result.results;
  const scopes = task.loop && Array.isArray(results)
    ? results.filter((r): r is Record<string, unknown> => isDict(r) && !r.skipped).map((r) => ({ ...vars, ...loopVarsOf(r) }))
    : [vars];
  return scopes.flatMap((scope) => {
    const templar = ctx.templar(scope);
    // `notify: "{{ list_var }}"` names several handlers
    return effectiveNotify(task).flatMap((name) => {
      const v = templar.template(name);
      return Array.isArray(v) ? v.map((x) => pyStr(x)) : [pyStr(v)];
    });
  });
}

function notify(ctx: RunContext, state: BatchState, task: Task, o: HostTaskOutcome): void {
  const host = o.host;
  const targets = notifyTargets(ctx, state, task, o);
  for (const target of targets) {
    const found = state.handlers.notify(host, target, (h) => handlerName(ctx, state, h), (h, e) =>
      ctx.reporter.onWarning?.(
        `Handler '${h.name ?? ''}' is unusable because it has no listen topics and the name could not be templated ` +
        `(host-specific variables are not supported in handler names). The error: ${e.message}`,
      ));
    if (!found) {
      const msg = `The requested handler '${target}' was not found in either the main handlers list nor in the listening handlers list`;
      // error_on_missing_handler = False turns the error into a warning
      const setting = new SettingsReader(ctx.options.config).get('ERROR_ON_MISSING_HANDLER');
      if (setting.found && setting.value === false) {
        ctx.reporter.onWarning?.(msg);
        continue;
      }
      // Ansible's error names no file or line here
      throw new TsibleError('PARSE', msg, undefined, 1);
    }
  }
}

async function handleIncludes(ctx: RunContext, state: BatchState, task: Task, includes: { host: string; req: IncludeRequest }[]): Promise<void> {
  const groups = new Map<string, { file: string; req: IncludeRequest; hosts: string[] }>();
  const play = state.scope.play;
  // hosts whose include failed: each fails once, after all the includes are processed (Ansible's mark_host_failed)
  const failedHosts = new Set<string>();
  for (const { host, req } of includes) {
    let file = req.file ?? '';
    if (req.kind === 'tasks') {
      const resolved = resolveTasksFile(file, task.location?.file ?? play.file, task.role, play.baseDir);
      if (!resolved) {
        const shown = path.resolve(path.dirname(task.location?.file ?? play.file), file);
        reportIncludeFailure(ctx, state, task, host, `Could not find or access '${shown}' on the Ansible Controller.`, true);
        failedHosts.add(host);
        continue;
      }
      file = resolved;
    }
    const key = `${req.kind}|${file}|${req.roleName ?? ''}|${JSON.stringify(req.vars)}|${JSON.stringify(req.args ?? {})}`;
    const g = groups.get(key) ?? { file, req, hosts: [] };
    g.hosts.push(host);
    groups.set(key, g);
  }
  const loaded = new Map<string, Block[]>();
  for (const g of groups.values()) {
    const parent: Block = {
      // as Ansible: the include's `vars:` are include params (above set_fact); `include: f k=v` args are task vars
      kind: 'block', id: ctx.loader.nextId(), block: [], rescue: [], always: [], when: [], tags: [], vars: { ...g.req.args },
      keywords: {}, role: task.role, parent: task.parent, includeParams: { ...task.vars, ...g.req.vars }, isImplicit: true,
    };
    const apply = task.args.apply;
    if (apply && typeof apply === 'object') {
      const a = apply as Record<string, unknown>;
      if (a.tags !== undefined) parent.tags = Array.isArray(a.tags) ? a.tags : [a.tags];
      if (a.when !== undefined) parent.when = Array.isArray(a.when) ? a.when : [a.when];
      // every other block keyword (become, run_once, ignore_errors, environment...) as a block's
      parent.keywords = readKeywords(a);
      if (a.vars !== undefined && isDict(a.vars)) parent.vars = { ...parent.vars, ...a.vars };
      if (a.notify !== undefined && a.notify !== null) parent.notify = (Array.isArray(a.notify) ? a.notify : [a.notify]).map(String);
    }
    try {
      if (g.req.kind === 'tasks') {
        ctx.reporter.onIncluded?.(g.file, g.hosts, taskInfo(task), g.req.itemLabel);
        parent.block = loadIncludedTasks(ctx.loader, g.file, parent, task.role, play, task.isHandler);
        for (const host of g.hosts) ctx.stats.increment(host, 'ok');
      } else {
        const roleTask: Task = { ...task, args: { ...task.args }, vars: { ...task.vars, ...g.req.vars } };
        // the role's name and options may use the loop item (`name: "{{ item }}"`)
        const roleArgsTemplar = ctx.templar(ctx.vars.getVars(g.hosts[0] as string, state.scope, task, true, g.req.vars));
        for (const [k, v] of Object.entries(task.args)) {
          if (typeof v !== 'string') continue;
          const value = pyStr(roleArgsTemplar.template(v));
          // an option given as "{{ omit }}" is left out, as for a module's parameters
          if (value === ctx.omitToken) delete roleTask.args[k];
          else roleTask.args[k] = value;
        }
        parent.block = [loadIncludedRole(ctx.loader, roleTask, parent, play)];
      }
    } catch (e) {
      if (e instanceof TsibleError && (e.code === 'YAML_SYNTAX' || e.code === 'PARSE' || e.code === 'UNKNOWN_MODULE')) throw e;
      for (const host of g.hosts) {
        reportIncludeFailure(ctx, state, task, host, (e as Error).message, g.req.kind === 'tasks');
        failedHosts.add(host);
      }
      continue;
    }
    for (const host of g.hosts) loaded.set(host, [...(loaded.get(host) ?? []), parent]);
  }
  // one insertion per host keeps the included files in item order
  for (const [host, blocks] of loaded) state.cursors.get(host)?.insert(blocks);
  state.onIncluded?.([...new Set([...loaded.values()].flat())]);
  for (const host of failedHosts) failHostAfterInclude(ctx, state, host);
}

/** An include that could not load: include_tasks shows a failed result ("reason") that the recap
 *  counts; include_role shows only an error, as Ansible does. */
function reportIncludeFailure(ctx: RunContext, state: BatchState, task: Task, host: string, msg: string, isTasks: boolean): void {
  if (!isTasks) {
    ctx.reporter.onError?.(msg);
    return;
  }
  const o: HostTaskOutcome = { host, status: 'failed', result: { failed: true, reason: msg }, ignored: false, includes: [] };
  reportOutcome(ctx, task, o, state.scope.play);
  countOutcome(ctx, o, 'failed');
}

/** The host fails where the include stood: a rescue or always of its block takes over. */
function failHostAfterInclude(ctx: RunContext, state: BatchState, host: string): void {
  const cursor = state.cursors.get(host);
  cursor?.fail();
  if (!cursor || cursor.failed) {
    state.failed.add(host);
    state.active.delete(host);
    refreshPlayHosts(ctx, state);
  }
}

async function handleMeta(ctx: RunContext, state: BatchState, meta: string, host: string, task: Task): Promise<void> {
  switch (meta) {
    case 'noop':
      return;
    case 'refresh_inventory':
      ctx.inventory.refresh();
      followRefreshedInventory(ctx, state);
      return;
    case 'reset_connection':
      await ctx.connections.reset(host);
      return;
    case 'flush_handlers':
      if (host === [...state.cursors.keys()].find((h) => state.active.has(h)) || !state.active.has(host)) await state.flushHandlers();
      return;
    case 'end_play':
      state.endPlay = true;
      for (const c of state.cursors.values()) c.stop();
      state.active.clear();
      return;
    case 'end_batch':
      state.endBatch = true;
      for (const c of state.cursors.values()) c.stop();
      return;
    case 'end_host':
      state.cursors.get(host)?.stop();
      state.active.delete(host);
      return;
    case 'clear_facts':
      ctx.vars.clearFacts(host);
      return;
    case 'clear_host_errors':
      // Ansible forgets both failed and unreachable hosts of the play
      state.failed.clear();
      state.unreachable.clear();
      for (const c of state.cursors.values()) c.clearErrors();
      return;
    default:
      throw new TsibleError('PARSE', `invalid meta action requested: ${meta}`, task.location);
  }
}

/** After refresh_inventory the play's hosts are the pattern's hosts in the new inventory, as
 *  Ansible's hosts cache: a host gone runs nothing more (without failing), a new one runs nothing. */
function followRefreshedInventory(ctx: RunContext, state: BatchState): void {
  const scope = state.scope;
  const now = state.hostPatterns === undefined ? scope.playHostsAll.filter((h) => ctx.inventory.host(h)) : ctx.inventory.resolvePattern(state.hostPatterns).map((h) => h.name);
  const present = new Set(now);
  for (const h of [...state.active]) {
    if (present.has(h)) continue;
    state.active.delete(h);
    state.cursors.get(h)?.stop();
  }
  scope.playHostsAll = now;
  scope.playBatch = scope.playBatch.filter((h) => present.has(h));
  refreshPlayHosts(ctx, state);
}

function checkFailurePolicies(ctx: RunContext, state: BatchState, task: Task): void {
  const play = state.scope.play;
  const fatal = keyword(task, 'anyErrorsFatal', play) ?? ctx.options.config.anyErrorsFatal;
  if ((fatal === true || fatal === 'yes' || fatal === 'true') && (state.failed.size || state.unreachable.size)) {
    abortBatch(state);
    return;
  }
  if (play.maxFailPercentage !== undefined && play.maxFailPercentage !== null) {
    const pct = Number(play.maxFailPercentage);
    const total = state.scope.playBatch.length;
    if (total && ((state.failed.size + state.unreachable.size) / total) * 100 > pct) abortBatch(state);
  }
}

function abortBatch(state: BatchState): void {
  state.endPlay = true;
  for (const [host, c] of state.cursors) {
    c.stop();
    if (state.active.has(host)) state.failed.add(host);
  }
  state.active.clear();
  state.anyErrorsFatal = true;
}
