// Runs one action (one loop item) of a task on one host: templated args, validation,
// check mode, the module call, until/retries, changed_when and failed_when.
import { codeFrame, TsibleError, UndefinedVariableError } from '../errors';
import { ArgumentError, validateArgs, toBool } from '../modules/args';
import type { ModuleContext, ModuleDef, ModuleResult } from '../modules/types';
import type { Play, Task } from '../playbook/model';
import { isDict } from '../template/pyvalues';
import type { TemplarApi } from '../template/types';
import type { RunContext } from './context';
import { controllerAccess } from './controller-access';
import type { Connection } from '../connection/types';

export interface ActionEnv {
  ctx: RunContext;
  play: Play;
  task: Task;
  host: string;
  templar: TemplarApi;
  vars: Record<string, unknown>;
  conn: () => Connection;
  check: boolean;
  diff: boolean;
  searchDirs: string[];
  warn: (msg: string) => void;
}

/** Removes parameters whose value is the omit placeholder (recursively, as Ansible 2.14). */
export function removeOmit(value: unknown, token: string): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== token).map((v) => removeOmit(v, token));
  if (isDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== token) out[k] = removeOmit(v, token);
    return out;
  }
  return value;
}

/** Message for errors raised while templating a task, as Ansible words them. */
export function taskErrorMessage(e: unknown, task: Task): string {
  const pos = e as { templatePath?: string; templateLine?: number };
  const where = pos.templatePath ? `\n\nThe error is in template '${pos.templatePath}'${pos.templateLine ? `, line ${pos.templateLine}` : ''}.` : '';
  // Ansible ends the frame with a newline after the "^ here" caret line.
  const shownFrame = task.location ? codeFrame(task.location) : '';
  const frame = where + (shownFrame ? `\n\n${shownFrame}${shownFrame.endsWith('^ here') ? '\n' : ''}` : '');
  if (e instanceof UndefinedVariableError) {
    return `The task includes an option with an undefined variable. The error was: ${e.message}${frame}`;
  }
  if (e instanceof TsibleError) return `${e.message}${frame}`;
  return (e as Error).message ?? String(e);
}

const NO_TEMPLATE_ARGS = new Set(['assert']);

async function callModule(env: ActionEnv, mod: ModuleDef, args: Record<string, unknown>): Promise<ModuleResult> {
  const { ctx, task, host, templar } = env;
  let validated: Record<string, unknown>;
  try {
    validated = mod.acceptsAnyArgs ? args : validateArgs(mod.name, mod.spec, args, mod.constraints);
  } catch (e) {
    if (e instanceof ArgumentError) return { failed: true, changed: false, msg: e.message };
    throw e;
  }
  if (env.check && mod.checkMode === false) {
    const shown = task.actionAsWritten.includes('.') ? task.actionAsWritten : `ansible.legacy.${mod.name}`;
    return { changed: false, failed: false, skipped: true, msg: `remote module (${shown}) does not support check mode` };
  }
  // the connection opens on first use: controller-only modules never open one
  const mctx = {
    check: env.check,
    diff: env.diff,
    verbosity: ctx.options.verbosity,
    facts: ctx.vars.factsOf(host),
    vars: env.vars,
    controller: controllerAccess(env.searchDirs, templar),
    inventoryHostname: host,
    warn: env.warn,
    taskName: task.name ?? task.action,
  } as ModuleContext;
  Object.defineProperty(mctx, 'conn', { get: env.conn, enumerable: true });
  return mod.run(validated, mctx);
}

/** Templates args and runs the module once (no retries). */
export async function runActionOnce(env: ActionEnv): Promise<ModuleResult> {
  const { ctx, task, templar } = env;
  const mod = ctx.registry.get(task.action);
  if (!mod) return { failed: true, changed: false, msg: `The module ${task.action} was not found` };
  let args: Record<string, unknown>;
  try {
    const templated = NO_TEMPLATE_ARGS.has(mod.name)
      ? { ...task.args, ...(templar.template(withoutThat(task.args)) as Record<string, unknown>) }
      : (templar.template(task.args) as Record<string, unknown>);
    args = removeOmit(templated, ctx.omitToken) as Record<string, unknown>;
  } catch (e) {
    return { failed: true, changed: false, msg: taskErrorMessage(e, task) };
  }
  try {
    return await callModule(env, mod, args);
  } catch (e) {
    if (e instanceof TsibleError && e.code === 'CONNECTION') return { unreachable: true, changed: false, msg: e.message };
    if (e instanceof TsibleError && e.code === 'BECOME') return { failed: true, changed: false, msg: e.message };
    if (e instanceof UndefinedVariableError || e instanceof TsibleError) return { failed: true, changed: false, msg: taskErrorMessage(e, task) };
    return { failed: true, changed: false, msg: `tsible: unexpected error in module ${mod.name}: ${(e as Error).message}`, exception: (e as Error).stack };
  }
}

function withoutThat(args: Record<string, unknown>): Record<string, unknown> {
  const { that: _that, ...rest } = args;
  return rest;
}

function conditionHolds(templar: TemplarApi, conds: unknown[]): boolean {
  return conds.every((c) => templar.evaluateConditional(c));
}

/** Runs the action with until/retries and applies changed_when / failed_when. */
export async function runAction(env: ActionEnv, onRetry: (result: ModuleResult, left: number) => void): Promise<ModuleResult> {
  const { task } = env;
  let result: ModuleResult;
  if (task.until) {
    const retriesRaw = task.retries === undefined ? 3 : Number(env.templar.template(task.retries));
    const attempts = retriesRaw <= 0 ? 1 : retriesRaw + 1;
    const delay = task.delay === undefined ? 5 : Number(env.templar.template(task.delay));
    let attempt = 0;
    for (;;) {
      attempt++;
      result = await runActionOnce(env);
      if (result.unreachable) return result;
      result = applyWhenClauses(env, result);
      const t = env.templar.withVars(task.register ? { [task.register]: result } : {});
      let done: boolean;
      try {
        done = conditionHolds(t, task.until);
      } catch (e) {
        return { ...result, failed: true, msg: taskErrorMessage(e, task) };
      }
      result.attempts = attempt;
      if (done) break;
      if (attempt >= attempts) {
        result.failed = true;
        // Ansible reports the configured retries, one less than the attempts made
        if (attempts > 1) result.attempts = attempts - 1;
        break;
      }
      onRetry(result, attempts - attempt);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay * 1000));
    }
    return result;
  }
  result = await runActionOnce(env);
  if (result.unreachable) return result;
  return applyWhenClauses(env, result);
}

function applyWhenClauses(env: ActionEnv, result: ModuleResult): ModuleResult {
  const { task } = env;
  if (result.skipped) return result;
  if (result.changed === undefined) result.changed = false;
  if (!task.changedWhen && !task.failedWhen) return result;
  const t = env.templar.withVars(task.register ? { [task.register]: result } : {});
  try {
    if (task.changedWhen) result.changed = conditionHolds(t, task.changedWhen);
    if (task.failedWhen) {
      const failed = conditionHolds(t, task.failedWhen);
      result.failed_when_result = failed;
      result.failed = failed;
    }
  } catch (e) {
    return { ...result, failed: true, msg: taskErrorMessage(e, task) };
  }
  return result;
}

export function boolOf(templar: TemplarApi, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  const v = templar.template(value);
  try {
    return toBool(v);
  } catch {
    return Boolean(v);
  }
}
