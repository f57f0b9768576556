// Runs one action (one loop item) of a task on one host: templated args, validation,
// check mode, the module call, until/retries, changed_when and failed_when.
import { markUnsafe } from '../template/unsafe';
import { opened, revealVaulted } from '../vault/vaulted-text';
import { codeFrame, TemplateError, TsibleError, UndefinedVariableError } from '../errors';
import { ArgumentError, validateArgs, toBool } from '../modules/args';
import type { ControllerAccess, ModuleContext, ModuleDef, ModuleResult } from '../modules/types';
import { asyncSecondsOf, runAsyncAction } from './async-task';
import type { Play, Task } from '../playbook/model';
import { PyValueError } from '../template/pyops';
import { isDict } from '../template/pyvalues';
import type { TemplarApi } from '../template/types';
import type { RunContext } from './context';
import { controllerAccess } from './controller-access';
import { expandTargetPaths } from './target-paths';
import { applyRunEffects } from './inventory-effects';
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

/** A traceback-shaped text for a Python error raised while templating (its last line is what -v shows). */
function pythonTraceback(e: PyValueError): string {
  return `Traceback (most recent call last):\n  (raised while templating the task's arguments)\n${e.pyType}: ${e.message}\n`;
}

const NO_TEMPLATE_ARGS = new Set(['assert']);
export const CLEAN_FACTS_ACTIONS = new Set(['set_fact', 'include_vars']);
/** Marks a result that failed before the module ran (removed before anyone sees it). */
const NO_CHANGED_KEY = '_tsible_no_changed';

function controllerOf(env: ActionEnv): ControllerAccess {
  const { ctx, task, templar } = env;
  return controllerAccess(env.searchDirs, templar, task.role?.path, ctx.options.vault, ctx.options.config, (n) =>
    env.vars[n] === undefined ? undefined : templar.template(env.vars[n]),
  );
}

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
  if (!mod.controllerOnly) await expandTargetPaths(env.conn, mod.name, mod.spec, validated);
  const warnings: string[] = [];
  // the connection opens on first use: controller-only modules never open one
  const mctx = {
    check: env.check,
    diff: env.diff,
    verbosity: ctx.options.verbosity,
    facts: ctx.vars.factsOf(host),
    vars: env.vars,
    controller: controllerOf(env),
    inventoryHostname: host,
    // module warnings travel in the result's `warnings` (registered, and printed with the result)
    warn: (message: string) => void warnings.push(message),
    taskName: task.name ?? task.action,
  } as ModuleContext;
  Object.defineProperty(mctx, 'conn', { get: env.conn, enumerable: true });
  const result = await mod.run(validated, mctx);
  if (warnings.length) result.warnings = [...(Array.isArray(result.warnings) ? result.warnings : []), ...warnings];
  return result;
}

/** Templates args and runs the module once (no retries). */
export async function runActionOnce(env: ActionEnv): Promise<ModuleResult> {
  const { ctx, task, templar } = env;
  let mod: ModuleDef | undefined;
  let args: Record<string, unknown>;
  try {
    // a templated action name is resolved now, as Ansible does at post-validation
    const name = task.action.includes('{{') ? String(templar.template(task.action)) : task.action;
    mod = ctx.registry.get(name);
    if (!mod) {
      return task.action === name
        ? { failed: true, changed: false, msg: `The module ${task.action} was not found` }
        : { failed: true, msg: `The module ${name} was not found in configured module paths` };
    }
    const templated = NO_TEMPLATE_ARGS.has(mod.name)
      ? { ...task.args, ...(templar.template(withoutThat(task.args)) as Record<string, unknown>) }
      : (templar.template(task.args) as Record<string, unknown>);
    args = withVariableParams(removeOmit(templated, ctx.omitToken) as Record<string, unknown>, env.warn);
    // modules get plaintext; set_fact keeps a vaulted value vaulted (`is vault_encrypted` holds after it)
    if (!CLEAN_FACTS_ACTIONS.has(mod.name)) args = revealVaulted(args) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof MalformedArgsError) return { failed: true, msg: e.message, [NO_CHANGED_KEY]: true };
    // a Python error other than TypeError escapes Ansible's templar: post_validate's result has no msg
    if (e instanceof PyValueError) return { failed: true, changed: false, exception: pythonTraceback(e) };
    // only an undefined variable names the task (Ansible's post_validate); lookup, type and
    // syntax errors of the templar carry no task position
    if (e instanceof TemplateError && !(e instanceof UndefinedVariableError)) return { failed: true, msg: e.message, [NO_CHANGED_KEY]: true };
    return { failed: true, msg: taskErrorMessage(e, task), [NO_CHANGED_KEY]: true };
  }
  try {
    const seconds = asyncSecondsOf(env);
    const module = mod;
    const result = seconds > 0
      ? await runAsyncAction(env, mod, seconds, () => callModule(env, module, args), { controller: controllerOf(env) })
      : await callModule(env, mod, args);
    if (task.action !== mod.name && task.action.includes('{{')) result._ansible_resolved_action = mod.name;
    applyRunEffects(ctx, env.host, result);
    // module results are unsafe (never templated again); set_fact and include_vars set clean values
    return CLEAN_FACTS_ACTIONS.has(mod.name) ? result : markUnsafe(result);
  } catch (e) {
    if (e instanceof TsibleError && e.code === 'CONNECTION') return { unreachable: true, changed: false, msg: e.message };
    if (e instanceof TsibleError && e.code === 'BECOME') return { failed: true, changed: false, msg: e.message };
    if (e instanceof UndefinedVariableError || e instanceof TsibleError) return { failed: true, changed: false, msg: taskErrorMessage(e, task) };
    // shaped as Ansible's result of a module that crashed (module_stdout/module_stderr, rc 1)
    const stack = String((e as Error).stack ?? e);
    return {
      failed: true, changed: false, msg: `MODULE FAILURE\nSee stdout/stderr for the exact error (tsible: unexpected error in module ${mod.name}: ${(e as Error).message})`,
      module_stdout: '', module_stderr: stack, exception: stack, rc: 1,
    };
  }
}

class MalformedArgsError extends Error {}

/** Free-form text left to run time (`debug: "{{ args }}"`): it must template to a dict, merged under the task's own args. */
function withVariableParams(args: Record<string, unknown>, warn: (m: string) => void): Record<string, unknown> {
  if (!('_variable_params' in args)) return args;
  const { _variable_params: variable, ...rest } = args;
  if (!isDict(variable)) throw new MalformedArgsError(`invalid or malformed argument: '${typeof variable === 'string' ? variable : JSON.stringify(variable)}'`);
  warn("Using a variable for a task's 'args' is unsafe in some situations (see https://docs.ansible.com/ansible/devel/reference_appendices/faq.html#argsplat-unsafe)");
  return { ...variable, ...rest };
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
      // changed_when/failed_when already see the registered result's attempts, as in Ansible
      result.attempts = attempt;
      result = applyWhenClauses(env, result);
      const t = env.templar.withVars(task.register ? { [task.register]: markUnsafe(result) } : {});
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
  // a task whose arguments could not be templated reports no `changed` (Ansible fails it before running)
  if (result[NO_CHANGED_KEY]) {
    delete result[NO_CHANGED_KEY];
    return result;
  }
  if (result.changed === undefined) result.changed = false;
  if (!task.changedWhen && !task.failedWhen) return result;
  const t = env.templar.withVars(task.register ? { [task.register]: markUnsafe(result) } : {});
  // as Ansible: an error in the conditional fails the task and is stored as <which>_when_result
  let which = 'changed';
  try {
    if (task.changedWhen) result.changed = conditionHolds(t, task.changedWhen);
    which = 'failed';
    if (task.failedWhen) {
      const failed = conditionHolds(t, task.failedWhen);
      result.failed_when_result = failed;
      result.failed = failed;
    }
  } catch (e) {
    return { ...result, failed: true, [`${which}_when_result`]: (e as Error).message ?? String(e) };
  }
  return result;
}

export function boolOf(templar: TemplarApi, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  const v = opened(templar.template(value));
  try {
    return toBool(v);
  } catch {
    return Boolean(v);
  }
}
