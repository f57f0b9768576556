// Runs one task on one host: `when`, loops (items, labels, pause), delegation, the
// action, facts and register; returns the result Ansible would register and report.
import * as path from 'path';
import { TemplateError, TsibleError, UndefinedVariableError } from '../errors';
import type { BecomeOptions, ConnectionOptions } from '../connection/types';
import { TaskConnection } from '../connection/task-connection';
import { SettingsReader } from '../config/settings';
import type { ModuleResult } from '../modules/types';
import type { InheritableKeywords, Task } from '../playbook/model';
import type { HostResult, TaskStatus } from '../reporting/types';
import { isDict, pyStr, truthy } from '../template/pyvalues';
import type { TemplarApi } from '../template/types';
import type { PlayScope } from '../vars/manager';
import { boolOf, runAction, taskErrorMessage, type ActionEnv } from './action';
import type { RunContext } from './context';
import { ansibleSearchPath, lookupContextFor, searchDirs } from './controller-access';
import { effectiveWhen, environmentList, keyword, keywordChain } from './inherit';
import { itemVars, loopControlOf, loopVarsOf, resolveLoopItems } from './loop';
import { taskInfo } from './task-info';

export interface IncludeRequest {
  kind: 'tasks' | 'role';
  file?: string;
  /** The loop variables (item, ansible_loop...): include params. */
  vars: Record<string, unknown>;
  /** `include: file k=v` arguments: task-level variables of the included tasks (below set_fact). */
  args?: Record<string, unknown>;
  task: Task;
  /** include_role: the role's name templated for this host (hosts may include different roles). */
  roleName?: string;
  /** The loop item's label, shown by the `included:` line. */
  itemLabel?: unknown;
}

export interface HostTaskOutcome {
  host: string;
  status: TaskStatus;
  result: ModuleResult;
  ignored: boolean;
  delegatedTo?: string;
  includes: IncludeRequest[];
  meta?: string;
  /** Diff mode was on for this task: the reporter shows result.diff. */
  showDiff?: boolean;
}

const SKIPPED: ModuleResult = { changed: false, skip_reason: 'Conditional result was False', skipped: true };

/** Ansible's TaskResult.is_failed: with failed_when, its result decides (even over until's `failed`). */
function isFailed(r: ModuleResult): boolean {
  if ('failed_when_result' in r) return truthy(r.failed_when_result);
  const items = Array.isArray(r.results) ? (r.results as ModuleResult[]) : [];
  if (items.some((x) => isDict(x) && 'failed_when_result' in x)) return items.some((x) => isDict(x) && truthy(x.failed_when_result));
  return r.failed === true;
}

function statusOf(r: ModuleResult): TaskStatus {
  if (r.unreachable) return 'unreachable';
  if (isFailed(r)) return 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

/** Connection settings for a host from its variables (ansible_host, ansible_user, ...), with
 * Ansible's precedence: connection variables, then play/task keywords, then the command line, then ansible.cfg. */
function connectionFor(ctx: RunContext, host: string, vars: Record<string, unknown>, templar: TemplarApi, task: Task, play: PlayScope['play']) {
  const t = (v: unknown) => (v === undefined || v === null ? undefined : templar.template(v));
  const firstVar = (...names: string[]): unknown => {
    for (const n of names) if (vars[n] !== undefined && vars[n] !== null) return t(vars[n]);
    return undefined;
  };
  const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : pyStr(v));
  const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
  const cfg = ctx.options.config;
  const keyword = (task: Task, key: keyof InheritableKeywords, play: PlayScope['play']) => templatedKeyword(ctx, templar, task, key, play);
  const transport = String(
    t(vars.ansible_connection) ?? t(keyword(task, 'connection', play)) ?? ctx.options.connection ?? 'ssh',
  );
  const become: BecomeOptions = {
    become: boolOf(templar, vars.ansible_become ?? keyword(task, 'become', play), ctx.options.become ?? cfg.become),
    user: String(t(vars.ansible_become_user ?? keyword(task, 'becomeUser', play)) ?? ctx.options.becomeUser ?? cfg.becomeUser),
    method: String(t(vars.ansible_become_method ?? keyword(task, 'becomeMethod', play)) ?? ctx.options.becomeMethod ?? cfg.becomeMethod),
    password: str(firstVar('ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'ansible_su_pass')),
    flags: str(firstVar('ansible_become_flags') ?? t(keyword(task, 'becomeFlags', play)) ?? cfg.raw['privilege_escalation.become_flags']),
    exe: str(firstVar('ansible_become_exe') ?? t(keyword(task, 'becomeExe', play)) ?? cfg.raw['privilege_escalation.become_exe']),
  };
  const sameUser = new SettingsReader(cfg).get('BECOME_ALLOW_SAME_USER');
  if (sameUser.found && sameUser.value === true) become.allowSameUser = true;
  const hostKeyChecking = firstVar('ansible_host_key_checking', 'ansible_ssh_host_key_checking');
  const options: ConnectionOptions = {
    host,
    address: str(firstVar('ansible_host', 'ansible_ssh_host')) ?? host,
    port: num(firstVar('ansible_port', 'ansible_ssh_port') ?? t(keyword(task, 'port', play)) ?? cfg.remotePort),
    user: str(firstVar('ansible_user', 'ansible_ssh_user', 'ansible_docker_user') ?? t(keyword(task, 'remoteUser', play)) ?? ctx.options.remoteUser ?? cfg.remoteUser),
    password: str(firstVar('ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password')),
    privateKeyFile: str(firstVar('ansible_ssh_private_key_file', 'ansible_private_key_file')) ?? ctx.options.privateKeyFile,
    privateKeyPassphrase: str(firstVar('ansible_ssh_private_key_passphrase', 'ansible_private_key_passphrase')),
    timeoutSeconds: num(firstVar('ansible_ssh_timeout', 'ansible_timeout')) ?? ctx.options.timeout ?? cfg.timeout,
    hostKeyChecking: hostKeyChecking === undefined ? cfg.hostKeyChecking : boolOf(templar, hostKeyChecking, true),
    sshArgs: str(firstVar('ansible_ssh_args')) ?? cfg.ssh.args,
    sshCommonArgs: str(firstVar('ansible_ssh_common_args')) ?? ctx.options.sshCommonArgs ?? cfg.ssh.commonArgs,
    sshExtraArgs: str(firstVar('ansible_ssh_extra_args')) ?? ctx.options.sshExtraArgs ?? cfg.ssh.extraArgs,
    retries: num(firstVar('ansible_ssh_retries')) ?? cfg.ssh.retries,
    container: str(firstVar('ansible_docker_host')),
    dockerExtraArgs: str(firstVar('ansible_docker_extra_args')),
  };
  return { transport: transport === 'smart' || transport === 'paramiko' ? 'ssh' : transport, options, become };
}

/** A keyword's templated value; one that templates to omit falls back to the enclosing block's or play's. */
function templatedKeyword(ctx: RunContext, templar: TemplarApi, task: Task, key: keyof InheritableKeywords, play: PlayScope['play']): unknown {
  for (const raw of keywordChain(task, key, play)) {
    const v = typeof raw === 'string' && raw.includes('{{') ? templar.template(raw) : raw;
    if (v !== ctx.omitToken) return v;
  }
  return undefined;
}

function environmentOf(task: Task, play: PlayScope['play'], templar: TemplarApi): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of environmentList(task, play)) {
    if (!isDict(e)) {
      const v = templar.template(e);
      if (isDict(v)) for (const [k, x] of Object.entries(v)) env[k] = pyStr(x);
      continue;
    }
    for (const [k, x] of Object.entries(e)) {
      try {
        env[k] = pyStr(templar.template(x));
      } catch (err) {
        // as Ansible: a value needing ansible_env before facts exist is left out
        const msg = String((err as Error).message ?? '');
        if (err instanceof UndefinedVariableError && (msg.includes('ansible_env') || msg.includes('ansible_facts.env'))) continue;
        throw err;
      }
    }
  }
  return env;
}

export async function runTaskOnHost(ctx: RunContext, scope: PlayScope, task: Task, host: string): Promise<HostTaskOutcome> {
  const released: { conns: { close(): Promise<void> }[] } = { conns: [] };
  try {
    return await runTaskOnHostWith(ctx, scope, task, host, released);
  } finally {
    for (const c of released.conns) await c.close();
  }
}

async function runTaskOnHostWith(
  ctx: RunContext,
  scope: PlayScope,
  task: Task,
  host: string,
  released: { conns: { close(): Promise<void> }[] },
): Promise<HostTaskOutcome> {
  const play = scope.play;
  const vars = ctx.vars.getVars(host, scope, task);
  if (vars.ansible_search_path === undefined) vars.ansible_search_path = ansibleSearchPath(task, play);
  const dirs = searchDirs(task, play);
  const lookupCtx = lookupContextFor(dirs, (p) => ctx.inventory.resolvePattern(p, { ignoreLimits: true }).map((h) => h.name), {
    config: ctx.options.config,
    warn: (m) => ctx.reporter.onWarning?.(m),
    vault: ctx.options.vault,
  });
  const roleTemplates = task.role ? [path.join(task.role.path, 'templates')] : [];
  const templar = ctx.templar(vars, { searchPath: [...roleTemplates, ...dirs.map((d) => path.join(d, 'templates')), ...dirs], lookups: lookupCtx });
  const outcome = (result: ModuleResult, extra: Partial<HostTaskOutcome> = {}): HostTaskOutcome => ({
    host, status: statusOf(result), result, ignored: false, includes: [], ...extra,
  });
  const conditions = effectiveWhen(task, play);
  const whenHolds = (t: TemplarApi): boolean => conditions.every((c) => t.evaluateConditional(c));

  let ignoreErrors: boolean;
  // delegate_to is templated per loop item (`delegate_to: "{{ item }}"`), so it may change per item
  let delegateTo: string | undefined;
  const delegateRaw = keyword(task, 'delegateTo', play);
  const delegatePerItem = task.loop !== undefined && typeof delegateRaw === 'string' && delegateRaw.includes('{{');
  try {
    ignoreErrors = boolOf(templar, templatedKeyword(ctx, templar, task, 'ignoreErrors', play), false);
    delegateTo = delegateRaw === undefined || delegateRaw === null || delegatePerItem ? undefined : pyStr(templar.template(delegateRaw));
  } catch (e) {
    return outcome({ failed: true, changed: false, msg: taskErrorMessage(e, task) });
  }
  // as Ansible's variable manager: a delegated task sees the delegated host's variables
  if (delegateTo !== undefined) vars.ansible_delegated_vars = { [delegateTo]: delegatedHostVars(ctx, scope, task, delegateTo, host) };

  const taskConns = new Map<string, TaskConnection>();
  let checkKw: unknown;
  let diffKw: unknown;
  try {
    checkKw = templatedKeyword(ctx, templar, task, 'checkMode', play);
    diffKw = templatedKeyword(ctx, templar, task, 'diff', play);
  } catch (e) {
    return outcome({ failed: true, changed: false, msg: taskErrorMessage(e, task) });
  }
  const env: Omit<ActionEnv, 'templar' | 'vars'> & { conn: () => ReturnType<ActionEnv['conn']> } = {
    ctx, play, task, host,
    check: checkKw === undefined ? ctx.options.check : boolOf(templar, checkKw, ctx.options.check),
    diff: diffKw === undefined ? ctx.options.diff : boolOf(templar, diffKw, ctx.options.diff),
    searchDirs: dirs,
    warn: (m) => ctx.reporter.onWarning?.(m),
    // resolved once per task and host: modules read ctx.conn many times
    conn: () => {
      const target = delegateTo ?? host;
      const known = taskConns.get(target);
      if (known) return known;
      const tvars = delegateTo ? ctx.vars.getVars(delegateTo, scope, undefined, false) : vars;
      const c = connectionFor(ctx, target, tvars, templar, task, play);
      const inner = ctx.connections.get(c.transport, c.options);
      const noLog = boolOf(templar, keyword(task, 'noLog', play), false);
      const taskConn = new TaskConnection(inner, environmentOf(task, play, templar), c.become, {
        trace: ctx.options.verbosity >= 3 ? (m) => ctx.reporter.onVerbose?.(m, 3) : undefined,
        noLog,
        release: () => ctx.connections.release(inner),
      });
      taskConns.set(target, taskConn);
      released.conns.push(taskConn);
      return taskConn;
    },
  };

  const runOne = async (t: TemplarApi, v: Record<string, unknown>): Promise<ModuleResult | IncludeRequest | string> => {
    if (task.action === 'include_tasks' || task.action === 'include') {
      const file = pyStr(t.template(task.args._raw_params ?? task.args.file));
      const extra: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(task.args)) if (k !== '_raw_params' && k !== 'file' && k !== 'apply') extra[k] = t.template(x);
      return { kind: 'tasks', file, vars: loopVarsOf(v), args: extra, task };
    }
    if (task.action === 'include_role') return { kind: 'role', vars: loopVarsOf(v), task, roleName: includedRoleName(t, task) };
    if (task.action === 'meta') return pyStr(task.args._raw_params);
    return runAction({ ...env, templar: t, vars: v }, (r, left) =>
      ctx.reporter.onRetry?.({ host, task: taskInfo(task, play), status: 'failed', result: r, ignored: false }, left),
    );
  };

  // as Ansible's task executor: a result that ran on a delegated host says where (the callbacks show "h -> d(addr)")
  const delegatedVars = new Map<string, Record<string, unknown>>();
  const markDelegated = (r: ModuleResult): ModuleResult => {
    if (!delegateTo || r.unreachable) return r;
    if (!delegatedVars.has(delegateTo)) delegatedVars.set(delegateTo, delegatedVarsOf(ctx, scope, delegateTo));
    r._ansible_delegated_vars = { ...delegatedVars.get(delegateTo), ansible_delegated_host: delegateTo };
    return r;
  };

  const finish = (result: ModuleResult, includes: IncludeRequest[] = []): HostTaskOutcome => {
    if (task.register !== undefined && !VALID_VAR_NAME.test(task.register)) result = { failed: true, msg: invalidRegisterMessage(task.register) };
    const o = outcome(result, { includes, delegatedTo: delegateTo, showDiff: env.diff });
    if (o.status === 'failed' && ignoreErrors) o.ignored = true;
    if (o.status === 'unreachable' && boolOf(templar, keyword(task, 'ignoreUnreachable', play), false)) o.ignored = true;
    return o;
  };

  // No loop: one evaluation of `when`.
  if (!task.loop) {
    try {
      if (!whenHolds(templar)) return finish({ ...SKIPPED });
    } catch (e) {
      return finish({ failed: true, changed: false, msg: conditionalError(e, task) });
    }
    const r = await runOne(templar, vars);
    if (typeof r === 'string') return { ...finish({ changed: false }), meta: r };
    if (isInclude(r)) return finish({ changed: false, include: r.file ?? task.args.name, include_args: r.vars }, [r]);
    return finish(markDelegated(r));
  }

  let items: unknown[];
  try {
    items = resolveLoopItems(task, templar, lookupCtx, ctx.lookups);
  } catch (e) {
    // as Ansible: an undefined loop is only an error when `when` (seen without an item) holds;
    // loop errors are reported as they are, without the task's position
    if (e instanceof UndefinedVariableError) {
      try {
        if (!whenHolds(templar)) return finish({ ...SKIPPED });
      } catch {
        // the loop's own error is the one reported
      }
      return finish({ failed: true, msg: doubledMessage(e.message) });
    }
    if (e instanceof TemplateError) return finish({ failed: true, msg: e.message });
    return finish({ failed: true, changed: false, msg: taskErrorMessage(e, task) });
  }
  const lc = loopControlOf(task);
  // loop_var / index_var may be templates (`loop_var: "{{ name }}"`)
  if (lc.loopVar.includes('{{')) lc.loopVar = pyStr(templar.template(lc.loopVar));
  if (lc.indexVar?.includes('{{')) lc.indexVar = pyStr(templar.template(lc.indexVar));
  const results: ModuleResult[] = [];
  const includes: IncludeRequest[] = [];
  // set_fact / include_vars in a loop: each item sees the facts of the previous items
  const loopFacts: Record<string, unknown> = {};
  for (let i = 0; i < items.length; i++) {
    const iv = itemVars(lc, items, i);
    const t = templar.withVars({ ...loopFacts, ...iv });
    const v = { ...vars, ...loopFacts, ...iv };
    let label: unknown = items[i];
    let r: ModuleResult;
    try {
      if (lc.label !== undefined) label = t.template(lc.label);
      if (delegatePerItem) delegateTo = pyStr(t.template(delegateRaw));
      if (!whenHolds(t)) r = { ...SKIPPED };
      else {
        const out = await runOne(t, v);
        if (typeof out === 'string') r = { changed: false };
        else if (isInclude(out)) {
          includes.push({ ...out, itemLabel: label });
          r = { changed: false, include: out.file, include_args: out.vars };
        } else r = markDelegated(out);
      }
    } catch (e) {
      r = { failed: true, changed: false, msg: conditionalError(e, task) };
    }
    if ((task.action === 'set_fact' || task.action === 'include_vars') && !r.failed && isDict(r.ansible_facts)) Object.assign(loopFacts, r.ansible_facts);
    r[lc.loopVar] = items[i];
    r.ansible_loop_var = lc.loopVar;
    if (lc.indexVar) {
      r[lc.indexVar] = i;
      r.ansible_index_var = lc.indexVar;
    }
    if (iv.ansible_loop) r.ansible_loop = iv.ansible_loop;
    r._ansible_item_label = label;
    if (!r.skipped && r.failed === undefined) r.failed = false;
    results.push(r);
    const itemStatus = statusOf(r);
    if (env.diff && r.diff !== undefined) ctx.reporter.onDiff?.(host, r.diff);
    ctx.reporter.onItemResult?.({
      host, delegatedTo: delegateTo, task: taskInfo(task, play), status: itemStatus, result: r,
      ignored: itemStatus === 'failed' && ignoreErrors, itemLabel: label,
    });
    if (lc.pause > 0 && i < items.length - 1) await new Promise((res) => setTimeout(res, lc.pause * 1000));
  }
  const aggregate: ModuleResult = { changed: results.some((r) => r.changed === true), msg: 'All items completed', results, skipped: false };
  if (results.some((r) => r.failed)) {
    aggregate.failed = true;
    aggregate.msg = 'One or more items failed';
  } else if (results.length === 0 || results.every((r) => r.skipped)) {
    aggregate.skipped = true;
    aggregate.msg = results.length === 0 ? 'No items in the list' : 'All items skipped';
  }
  if (results.some((r) => r.unreachable)) aggregate.unreachable = true;
  return finish(aggregate, includes);
}

const VALID_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function invalidRegisterMessage(name: string): string {
  return `Invalid variable name in 'register' specified: '${name}'`;
}

/** Ansible fails the task and then stops the run (exit 1) on a register name that is no identifier. */
export function checkRegisterName(task: Task): void {
  if (task.register !== undefined && !VALID_VAR_NAME.test(task.register)) throw new TsibleError('PARSE', invalidRegisterMessage(task.register), undefined, 1);
}

/** The delegated host's connection variables a result carries (ansible_host defaults to its name). */
function delegatedVarsOf(ctx: RunContext, scope: PlayScope, delegateTo: string): Record<string, unknown> {
  const dvars = ctx.vars.getVars(delegateTo, scope, undefined, false);
  const templar = ctx.templar(dvars);
  const value = (name: string): unknown => {
    const v = dvars[name];
    return v === undefined || v === null ? null : templar.template(v);
  };
  const host = value('ansible_host');
  return {
    ansible_host: host === null ? delegateTo : host,
    ansible_port: value('ansible_port'),
    ansible_user: value('ansible_user'),
    ansible_connection: value('ansible_connection'),
  };
}

/** The delegated host's variables (its inventory_hostname is the task's host, as in Ansible); a host outside the inventory has none. */
function delegatedHostVars(ctx: RunContext, scope: PlayScope, task: Task, delegateTo: string, host: string): Record<string, unknown> {
  try {
    return { ...ctx.vars.getVars(delegateTo, scope, task, false), inventory_hostname: host };
  } catch {
    return { inventory_hostname: host };
  }
}

function includedRoleName(t: TemplarApi, task: Task): string | undefined {
  const raw = task.args.name ?? task.args.role;
  try {
    return typeof raw === 'string' ? pyStr(t.template(raw)) : undefined;
  } catch {
    return undefined; // reported when the role loads
  }
}

function isInclude(x: unknown): x is IncludeRequest {
  return typeof x === 'object' && x !== null && 'kind' in x && 'task' in x && ((x as IncludeRequest).kind === 'tasks' || (x as IncludeRequest).kind === 'role');
}

/** Ansible repeats an error's original message after it ("'x' is undefined. 'x' is undefined"). */
function doubledMessage(message: string): string {
  const half = message.split('. ');
  return half.length % 2 === 0 && half.slice(0, half.length / 2).join('. ') === half.slice(half.length / 2).join('. ') ? message : `${message}. ${message}`;
}

function conditionalError(e: unknown, task: Task): string {
  if (e instanceof TsibleError) return taskErrorMessage(e, task);
  return String((e as Error).message ?? e);
}
