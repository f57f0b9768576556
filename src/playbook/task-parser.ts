// Turns one task mapping into a Task: finds its action among the keys, normalises
// free-form and k=v arguments, loops (loop / with_*), and the task keywords.
import { TsibleError, type SourceLocation } from '../errors';
import type { ModuleRegistry } from '../modules/registry';
import { isDict } from '../template/pyvalues';
import { FREE_FORM_ACTIONS, INHERITABLE, TASK_KEYWORDS } from './keywords';
import { argsBalanced, parseKv, splitArgs } from './kv';
import type { Block, InheritableKeywords, RoleInstance, Task } from './model';

export interface ParseContext {
  registry: ModuleRegistry;
  location?: SourceLocation;
  nextId: () => number;
}

const RAW_ONLY = new Set(['raw', 'meta']);
const COMMANDLIKE = new Set(['command', 'shell', 'script', 'win_command', 'win_shell']);

export function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function readKeywords(ds: Record<string, unknown>): InheritableKeywords {
  const kw: Record<string, unknown> = {};
  for (const [yamlKey, field] of Object.entries(INHERITABLE)) if (ds[yamlKey] !== undefined) kw[field] = ds[yamlKey];
  if (ds.environment !== undefined) kw.environment = [ds.environment];
  if (ds.module_defaults !== undefined && ds.module_defaults !== null) kw.moduleDefaults = [ds.module_defaults];
  return kw as InheritableKeywords;
}

/** `vars:` of a play, block or task: a dict, or a list of dicts merged in order (Ansible's _load_vars). */
export function varsKeyword(v: unknown, owner: 'Play' | 'Block' | 'Task', loc: SourceLocation | undefined): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (isDict(v)) return v;
  if (Array.isArray(v) && v.every(isDict)) return Object.assign({}, ...v) as Record<string, unknown>;
  throw new TsibleError('PARSE', `Vars in a ${owner} must be specified as a dictionary, or a list of dictionaries`, loc);
}

function tagsOf(v: unknown): unknown[] {
  if (typeof v === 'string') return v.split(',').map((t) => t.trim());
  return asList(v);
}
export { tagsOf };

function isTemplate(s: string): boolean {
  return s.includes('{{') || s.includes('{%');
}

/** Normalises module arguments written as a string, a dict, or nothing. */
export function normaliseArgs(action: string, value: unknown, loc: SourceLocation | undefined): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (isDict(value)) return { ...value };
  if (typeof value === 'string') {
    if (RAW_ONLY.has(action)) return { _raw_params: value };
    const freeForm = FREE_FORM_ACTIONS.has(action);
    if (!argsBalanced(value)) {
      throw new TsibleError('PARSE', `failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${value}`, loc);
    }
    const kv = parseKv(value, COMMANDLIKE.has(action));
    if (kv._raw_params !== undefined && !freeForm && isTemplate(kv._raw_params)) {
      // as Ansible: left to run time, where it must template to a dict of arguments
      const { _raw_params: variable, ...rest } = kv;
      return { ...rest, _variable_params: variable };
    }
    if (kv._raw_params !== undefined && !freeForm) {
      throw new TsibleError(
        'PARSE',
        `this task '${action}' has extra params, which is only allowed in the following modules: ${[...FREE_FORM_ACTIONS].sort().join(', ')}`,
        loc,
      );
    }
    return kv;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return { _raw_params: String(value) };
  throw new TsibleError('PARSE', `unexpected parameter type in action: ${Array.isArray(value) ? 'list' : typeof value}`, loc);
}

/** Finds the action of a task mapping: returns [name as written, raw args, delegate to localhost?]. */
function findAction(
  ds: Record<string, unknown>,
  ctx: ParseContext,
): { written: string; resolved: string; rawArgs: unknown; local: boolean } {
  const loc = ctx.location;
  const candidates = Object.keys(ds).filter((k) => !TASK_KEYWORDS.has(k) && !k.startsWith('with_'));
  let written: string | undefined;
  let rawArgs: unknown;
  let local = false;
  for (const key of ['action', 'local_action'] as const) {
    if (ds[key] === undefined) continue;
    if (written !== undefined || candidates.length) {
      throw new TsibleError('PARSE', `conflicting action statements: ${[key, ...candidates].join(', ')}`, loc);
    }
    local = key === 'local_action';
    const v = ds[key];
    if (typeof v === 'string') {
      // the module name is the first token as split_args cuts it ("{{ module }}" stays whole)
      const first = splitArgs(v)[0]?.trim() ?? '';
      const rest = v.trimStart().slice(first.length).replace(/^\s+/, '');
      written = first;
      rawArgs = rest ? rest : null;
    } else if (isDict(v) && typeof v.module === 'string') {
      written = v.module;
      const { module: _m, ...rest } = v;
      rawArgs = rest;
    } else {
      throw new TsibleError('PARSE', `invalid value for ${key}: expected a module name and arguments`, loc);
    }
  }
  if (written === undefined) {
    if (candidates.length > 1) {
      const known = candidates.filter((c) => ctx.registry.resolveName(c));
      if (known.length !== 1) {
        throw new TsibleError('PARSE', `conflicting action statements: ${candidates.join(', ')}`, loc);
      }
      const unknownKey = candidates.find((c) => !ctx.registry.resolveName(c));
      throw new TsibleError(
        'PARSE',
        `'${unknownKey}' is not a valid attribute for a Task`,
        loc,
      );
    }
    written = candidates[0];
    if (written === undefined) {
      throw new TsibleError('PARSE', 'no module/action detected in task.', loc);
    }
    rawArgs = ds[written];
  }
  // a templated module name (`action: "{{ module }}"`) is resolved when the task runs
  const resolved = isTemplate(written) && (ds.action !== undefined || ds.local_action !== undefined) ? written : ctx.registry.resolveName(written);
  if (!resolved) {
    throw new TsibleError(
      'UNKNOWN_MODULE',
      `couldn't resolve module/action '${written}'. This often indicates a misspelling, missing collection, or incorrect module path.`,
      loc,
    );
  }
  return { written, resolved, rawArgs, local };
}

export function parseTask(
  ds: Record<string, unknown>,
  parent: Block,
  role: RoleInstance | undefined,
  isHandler: boolean,
  ctx: ParseContext,
): Task {
  const loc = ctx.location;
  const { written, resolved, rawArgs, local } = findAction(ds, ctx);
  const args = normaliseArgs(resolved, rawArgs, loc);
  if (ds.args !== undefined) {
    if (!isDict(ds.args)) throw new TsibleError('PARSE', "the 'args' keyword must be a dictionary", loc);
    Object.assign(args, ds.args);
  }
  const withKeys = Object.keys(ds).filter((k) => k.startsWith('with_'));
  if (withKeys.length > 1 || (withKeys.length && ds.loop !== undefined)) {
    // Ansible raises a plain AnsibleError here ("duplicate loop in task"): exit 1, not 4
    throw new TsibleError('PARSE', `duplicate loop in task: ${withKeys.find((k) => k !== withKeys[0]) ?? withKeys[0]?.slice(5) ?? 'loop'}`, loc, 1);
  }
  let loop: Task['loop'];
  if (ds.loop !== undefined) loop = { kind: 'loop', value: ds.loop };
  else if (withKeys[0]) loop = { kind: 'with', lookup: withKeys[0].slice(5), value: ds[withKeys[0]] };
  const keywords = readKeywords(ds);
  if (local) keywords.delegateTo = 'localhost';
  if (ds.loop_control !== undefined && !isDict(ds.loop_control)) {
    throw new TsibleError('PARSE', 'loop_control must be a dictionary', loc);
  }
  const vars = varsKeyword(ds.vars, 'Task', loc);
  return {
    kind: 'task',
    id: ctx.nextId(),
    name: ds.name === undefined || ds.name === null ? undefined : String(ds.name),
    action: resolved,
    actionAsWritten: written,
    args,
    location: loc,
    when: asList(ds.when),
    tags: tagsOf(ds.tags),
    vars,
    keywords,
    loop,
    loopControl: ds.loop_control as Record<string, unknown> | undefined,
    register: ds.register === undefined ? undefined : String(ds.register),
    notify: asList(ds.notify).map(String),
    listen: asList(ds.listen).map(String),
    changedWhen: ds.changed_when === undefined ? undefined : asList(ds.changed_when),
    failedWhen: ds.failed_when === undefined ? undefined : asList(ds.failed_when),
    until: ds.until === undefined ? undefined : asList(ds.until),
    retries: ds.retries,
    delay: ds.delay,
    asyncSeconds: ds.async,
    poll: ds.poll,
    isHandler,
    role,
    parent,
  };
}
