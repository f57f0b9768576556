// Loads playbooks into plays, blocks and tasks: static imports (import_playbook,
// import_tasks, import_role) are expanded here; roles are instantiated per play.
import * as fs from 'fs';
import * as path from 'path';
import { configBool } from '../config';
import { TsibleError, type SourceLocation } from '../errors';
import type { ModuleRegistry } from '../modules/registry';
import type { PythonLibrary } from '../modules/python-library';
import type { PythonPlugins } from '../template/python-plugins';
import { loadYamlFile, loadYamlText, PositionMap, type LoadOptions } from '../parsing/yaml';
import { isDict } from '../template/pyvalues';
import { BLOCK_KEYWORDS, PLAY_KEYWORDS } from './keywords';
import type { Block, Play, Playbook, RoleInstance, Task } from './model';
import { findRoleDir, newRoleInstance, parseRoleEntry, readRoleFiles, roleFile, type RoleSearch } from './roles';
import { asList, parseTask, readKeywords, tagsOf, varsKeyword } from './task-parser';

export interface LoaderOptions {
  registry: ModuleRegistry;
  /** Python modules beside playbooks and roles: a role's library/ joins it as the role loads. */
  library?: PythonLibrary;
  /** Python filter/test/lookup plugins: a role's filter_plugins/ (...) join them as the role loads. */
  pythonPlugins?: PythonPlugins;
  rolesPath: string[];
  /** Templates static names (import_tasks file names, role names) with play-level vars. */
  templateStatic?: (value: string, extraVars?: Record<string, unknown>) => string;
  /** How repeated mapping keys are reported (ANSIBLE_DUPLICATE_YAML_DICT_KEY) and where warnings go. */
  yaml?: Pick<LoadOptions, 'duplicateKeys' | 'warn' | 'vault'>;
  /** Files given as text (by absolute path) instead of on disk: a generated playbook. */
  inline?: Readonly<Record<string, string>>;
}

/** State shared while loading one playbook run (ids, positions, role cache per play). */
export class LoaderContext {
  readonly positions = new PositionMap();
  private id = 0;
  constructor(readonly options: LoaderOptions) {}
  nextId = (): number => ++this.id;
  load(file: string): unknown {
    const text = this.options.inline?.[file];
    if (text !== undefined) return loadYamlText(text, file, { ...this.options.yaml, positions: this.positions });
    return loadYamlFile(file, { ...this.options.yaml, positions: this.positions });
  }
  loc(obj: unknown): SourceLocation | undefined {
    return this.positions.get(obj);
  }
}

interface Scope {
  file: string;
  playbookDir: string;
  role?: RoleInstance;
  play: PlayBuild;
  isHandler: boolean;
  /** The top of a handlers list (play or role): a block is allowed there, nowhere else among handlers. */
  handlerList?: boolean;
  /** Loaded at run time by include_tasks/include_role: a legacy `include` here stays dynamic. */
  dynamic?: boolean;
}

interface PlayBuild {
  roles: RoleInstance[];
  handlers: Block[];
  search: RoleSearch;
  /** The roles (dir + params) already in the play, so a dependency met again is left out as
   * Ansible runs a role once per play (unless allow_duplicates). */
  loadedRoles?: Set<string>;
  /** Variables a static import's templated name sees: playbook_dir, import_playbook vars, play vars. */
  staticVars?: Record<string, unknown>;
}

function newBlock(ctx: LoaderContext, parent: Block | undefined, role: RoleInstance | undefined, loc?: SourceLocation): Block {
  return {
    kind: 'block', id: ctx.nextId(), block: [], rescue: [], always: [], location: loc,
    when: [], tags: [], vars: {}, keywords: {}, role, parent,
  };
}

function fail(msg: string, loc?: SourceLocation): never {
  throw new TsibleError('PARSE', msg, loc);
}

/** Finds a tasks file for import/include: beside the current file, in the role's tasks/, beside the playbook. */
export function resolveTasksFile(name: string, fromFile: string, role: RoleInstance | undefined, playbookDir: string): string | undefined {
  const candidates = path.isAbsolute(name)
    ? [name]
    : [
        ...(role ? [path.join(role.path, 'tasks', name)] : []),
        path.join(path.dirname(fromFile), name),
        ...(role ? [path.join(role.path, name)] : []),
        path.join(playbookDir, name),
      ];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/** Parses a list of task/block mappings under `parent`. */
export function loadTaskList(ctx: LoaderContext, list: unknown, parent: Block, scope: Scope): (Task | Block)[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) fail('A malformed block was encountered while loading tasks: expected a list of tasks', ctx.loc(list) ?? parent.location);
  const out: (Task | Block)[] = [];
  for (const item of list) {
    const loc = ctx.loc(item);
    if (!isDict(item)) fail(`A malformed block was encountered while loading a block: expected a task (a dictionary), got ${JSON.stringify(item)}`, loc ?? parent.location);
    if ('block' in item) {
      if (scope.isHandler && !scope.handlerList) fail('Using a block as a handler is not supported.', loc ?? parent.location);
      out.push(loadBlock(ctx, item, parent, { ...scope, handlerList: false }));
      continue;
    }
    const task = parseTask(item, parent, scope.role, scope.isHandler, { registry: ctx.options.registry, location: loc, nextId: ctx.nextId });
    if (scope.isHandler && (task.action === 'include_role' || task.action === 'import_role')) {
      fail(`Using '${task.actionAsWritten}' as a handler is not supported.`, loc ?? parent.location);
    }
    checkIncludeOptions(task, loc ?? parent.location);
    if (task.action === 'import_tasks' || staticInclude(task, scope)) out.push(expandImportTasks(ctx, task, parent, scope));
    else if (task.action === 'import_role') out.push(expandRole(ctx, task, parent, scope, true));
    else out.push(task);
  }
  return out;
}

const ROLE_FROM_ARGS = ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'];
const TASK_INCLUDE_OPTIONS = new Set(['file', '_raw_params', 'apply']);
const ROLE_INCLUDE_OPTIONS = new Set(['name', 'role', ...ROLE_FROM_ARGS, 'apply', 'public', 'allow_duplicates', 'rolespec_validate']);

/** As Ansible's TaskInclude.check_options and IncludeRole.load, when the play loads: unknown options,
 * `apply` other than on include_tasks/include_role or not a dict, `public` on import_role, *_from not strings. */
function checkIncludeOptions(task: Task, loc: SourceLocation | undefined): void {
  const isTasks = task.action === 'include_tasks' || task.action === 'import_tasks';
  const isRole = task.action === 'include_role' || task.action === 'import_role';
  if (!isTasks && !isRole) return;
  const invalid = (what: string): never => fail(`Invalid options for ${task.actionAsWritten}: ${what}`, loc);
  if (isRole && 'public' in task.args && task.action !== 'include_role') invalid('public');
  const bad = Object.keys(task.args).filter((k) => !(isTasks ? TASK_INCLUDE_OPTIONS : ROLE_INCLUDE_OPTIONS).has(k));
  if (bad.length) invalid(bad.join(','));
  if (isRole) {
    for (const key of ROLE_FROM_ARGS) {
      if (!(key in task.args)) continue;
      const v = task.args[key];
      if (typeof v !== 'string') fail(`Expected a string for ${key} but got <class '${pythonTypeName(v)}'> instead`, loc);
    }
  }
  const apply = task.args.apply;
  if (apply && task.action !== 'include_tasks' && task.action !== 'include_role') invalid('apply');
  if (apply !== undefined && apply !== null && !isDict(apply)) fail(`Expected a dict for apply but got <class '${pythonTypeName(apply)}'> instead`, loc);
}

/** A role include's boolean option as Ansible's FieldAttribute(isa='bool') reads it. */
function optionBool(v: unknown): boolean {
  return typeof v === 'string' ? configBool(v) : Boolean(v);
}

/** The class Ansible's YAML loader gives a value (lists and dicts are its own subclasses). */
function pythonTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'ansible.parsing.yaml.objects.AnsibleSequence';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return typeof v === 'object' ? 'ansible.parsing.yaml.objects.AnsibleMapping' : 'str';
}

function loadBlock(ctx: LoaderContext, ds: Record<string, unknown>, parent: Block, scope: Scope): Block {
  const loc = ctx.loc(ds);
  for (const k of Object.keys(ds)) if (!BLOCK_KEYWORDS.has(k)) fail(`'${k}' is not a valid attribute for a Block`, loc);
  const b = newBlock(ctx, parent, scope.role, loc);
  b.name = ds.name === undefined ? undefined : String(ds.name);
  b.when = asList(ds.when);
  b.tags = tagsOf(ds.tags);
  b.vars = varsKeyword(ds.vars, 'Block', loc);
  b.keywords = readKeywords(ds);
  // a block's notify is what its tasks notify when they name no handler themselves
  if (ds.notify !== undefined && ds.notify !== null) b.notify = asList(ds.notify).map(String);
  b.block = loadTaskList(ctx, ds.block, b, scope);
  b.rescue = loadTaskList(ctx, ds.rescue, b, scope);
  b.always = loadTaskList(ctx, ds.always, b, scope);
  return b;
}

/** Wraps a static import's content in a block carrying the import's when/tags/vars/keywords. */
function wrapperFor(ctx: LoaderContext, task: Task, parent: Block, role: RoleInstance | undefined): Block {
  const b = newBlock(ctx, parent, role, task.location);
  b.when = task.when;
  b.tags = task.tags;
  b.vars = { ...task.vars };
  b.keywords = task.keywords;
  if (task.notify.length) b.notify = task.notify;
  b.isImplicit = true;
  return b;
}

function includeFileName(task: Task): string {
  const name = task.args._raw_params ?? task.args.file;
  if (typeof name !== 'string') fail(`No file specified for ${task.action}`, task.location);
  return name;
}

/** A legacy `include` is static when every parent is static, it has no loop and its file name no template. */
function staticInclude(task: Task, scope: Scope): boolean {
  if (task.action !== 'include' || scope.dynamic || task.loop) return false;
  const name = task.args._raw_params ?? task.args.file;
  return typeof name === 'string' && !name.includes('{{') && !name.includes('{%');
}

function expandImportTasks(ctx: LoaderContext, task: Task, parent: Block, scope: Scope): Block {
  if (task.loop) fail(`You cannot use loops on 'import_tasks' statements. You should use 'include_tasks' instead.`, task.location);
  let name = includeFileName(task);
  if (ctx.options.templateStatic && name.includes('{{')) name = ctx.options.templateStatic(name, { ...scope.play.staticVars, ...task.vars });
  const file = resolveTasksFile(name, scope.file, scope.role, scope.playbookDir);
  if (!file) throw new TsibleError('MISSING_FILE', `Could not find or access '${name}'`, task.location);
  const wrapper = wrapperFor(ctx, task, parent, scope.role);
  const extra = { ...task.args };
  delete extra._raw_params;
  delete extra.file;
  Object.assign(wrapper.vars, extra);
  // a legacy `include` (even static) passes its `vars:` as include params (above set_fact), as Ansible's
  // Task.get_include_params; import_tasks' vars stay block vars
  if (task.action === 'include' && Object.keys(task.vars).length > 0) wrapper.includeParams = { ...task.vars };
  const data = ctx.load(file);
  if (data !== null && data !== undefined && !Array.isArray(data)) {
    throw new TsibleError('PARSE', 'included task files must contain a list of tasks', ctx.loc(data) ?? { file, line: 1, column: 1 });
  }
  wrapper.block = loadTaskList(ctx, data, wrapper, { ...scope, file, handlerList: false });
  return wrapper;
}

/** Loads a role (defaults, vars, dependencies, handlers) and returns the block holding its tasks. */
export function loadRoleBlock(
  ctx: LoaderContext,
  roleName: string,
  params: Record<string, unknown>,
  parent: Block,
  scope: Scope,
  opts: { tasksFrom?: string; varsFrom?: string; defaultsFrom?: string; handlersFrom?: string; loc?: SourceLocation; public?: boolean; validate?: boolean },
): { block: Block; role: RoleInstance } {
  const dir = findRoleDir(roleName, scope.play.search, opts.loc);
  const files = readRoleFiles(dir, (f) => ctx.load(f), { defaults: opts.defaultsFrom, vars: opts.varsFrom });
  const role = newRoleInstance(roleName, dir, files, params);
  ctx.options.library?.addDir(path.join(dir, 'library'));
  ctx.options.pythonPlugins?.addPluginDirs(dir);
  role.parent = scope.role;
  role.publicVars = opts.public ?? true;
  const holder = newBlock(ctx, parent, role, opts.loc);
  holder.isImplicit = true;
  const roleScope: Scope = { ...scope, role, file: path.join(dir, 'tasks', 'main.yml') };
  // meta dependencies run first
  for (const dep of asList(files.meta.dependencies)) {
    const entry = parseRoleEntry(dep, opts.loc);
    const seen = scope.play.loadedRoles;
    const key = roleKey(findRoleDir(entry.name, scope.play.search, opts.loc), entry.params);
    if (seen?.has(key) && !roleAllowsDuplicates(ctx, entry.name, scope.play.search)) {
      // it runs once, but its vars still count for this role, as in Ansible (Role.get_vars)
      const loadedBefore = scope.play.roles.find((r) => roleKey(r.path, r.params) === key);
      if (loadedBefore) role.dependencies.push(loadedBefore);
      continue;
    }
    const depHolder = newBlock(ctx, holder, role, opts.loc);
    applyEntryKeywords(depHolder, entry.keywords);
    const loaded = loadRoleBlock(ctx, entry.name, entry.params, depHolder, roleScope, { loc: opts.loc });
    loaded.role.isDependency = true;
    role.dependencies.push(loaded.role);
    depHolder.block = [loaded.block];
    holder.block.push(depHolder);
  }
  const tasksFile = roleFile(dir, 'tasks', opts.tasksFrom, role.name);
  if (opts.tasksFrom && !tasksFile) throw new TsibleError('MISSING_FILE', `Could not find specified file in role: tasks/${opts.tasksFrom}`, opts.loc);
  const validation = opts.validate === false ? undefined : argumentSpecTask(ctx, dir, role.name, params, opts.tasksFrom ?? 'main');
  const taskData = tasksFile ? ctx.load(tasksFile) : null;
  if (validation) holder.block.push(...loadTaskList(ctx, [validation], holder, { ...roleScope, file: tasksFile ?? roleScope.file }));
  if (tasksFile) holder.block.push(...loadTaskList(ctx, taskData, holder, { ...roleScope, file: tasksFile }));
  const handlersFile = roleFile(dir, 'handlers', opts.handlersFrom, role.name);
  if (handlersFile && !scope.play.roles.some((r) => r.path === dir)) {
    // under the role entry's block: handlers inherit the role's keywords (become_user, tags) as in Ansible
    const hb = newBlock(ctx, parent, role, undefined);
    hb.block = loadTaskList(ctx, ctx.load(handlersFile), hb, { ...roleScope, file: handlersFile, isHandler: true, handlerList: true });
    role.handlers.push(hb);
    scope.play.handlers.push(hb);
  }
  scope.play.roles.push(role);
  scope.play.loadedRoles?.add(roleKey(dir, params));
  return { block: holder, role };
}

/**
 * The task Ansible puts first in a role whose meta/argument_specs.yml (or meta/main.yml's
 * argument_specs) has the entry point: validate_argument_spec, tagged always.
 */
function argumentSpecTask(ctx: LoaderContext, dir: string, roleName: string, params: Record<string, unknown>, entry: string): Record<string, unknown> | undefined {
  const specFile = roleFile(dir, 'meta', 'argument_specs');
  const fromFile = specFile ? ctx.load(specFile) : undefined;
  const metaFile = fromFile === undefined ? roleFile(dir, 'meta') : undefined;
  const meta = metaFile ? ctx.load(metaFile) : fromFile;
  const specs = isDict(meta) && isDict(meta.argument_specs) ? meta.argument_specs : undefined;
  const spec = specs?.[entry];
  if (!isDict(spec)) return undefined;
  const shortDescription = spec.short_description;
  return {
    name: `Validating arguments against arg spec '${entry}'${shortDescription !== undefined ? ` - ${String(shortDescription)}` : ''}`,
    'ansible.builtin.validate_argument_spec': {
      argument_spec: isDict(spec.options) ? spec.options : {},
      provided_arguments: params,
      validate_args_context: { type: 'role', name: roleName, argument_spec_name: entry, path: dir },
    },
    tags: ['always'],
  };
}

function roleKey(dir: string, params: Record<string, unknown>): string {
  return JSON.stringify([dir, params]);
}

function applyEntryKeywords(b: Block, kw: Record<string, unknown>): void {
  b.when = asList(kw.when);
  b.tags = tagsOf(kw.tags);
  b.keywords = readKeywords(kw);
}

function expandRole(ctx: LoaderContext, task: Task, parent: Block, scope: Scope, isStatic: boolean): Block {
  const a = task.args;
  const given = a.name ?? a.role;
  if (typeof given !== 'string') fail(`'name' is a required field for ${task.action}.`, task.location);
  // import_role's name and options are templated when the play loads (play vars, import_playbook
  // vars, extra vars); include_role's come templated from the run
  const staticText = (v: string): string =>
    isStatic && v.includes('{{') && ctx.options.templateStatic ? ctx.options.templateStatic(v, { ...scope.play.staticVars, ...task.vars }) : v;
  const name = staticText(given);
  const wrapper = wrapperFor(ctx, task, parent, scope.role);
  if (!isStatic) {
    // a dynamic include_role's when, tags and keywords are its own: the role's tasks do not inherit
    // them (Ansible skips a dynamic parent when tasks look up inherited attributes); vars they do
    wrapper.when = [];
    wrapper.tags = [];
    wrapper.keywords = {};
  }
  // allow_duplicates, public and rolespec_validate may be templated ("{{ False | bool }}")
  const option = (key: string, dflt: boolean): boolean => {
    const v = a[key];
    if (v === undefined || v === null) return dflt;
    return optionBool(typeof v === 'string' ? staticText(v) : v);
  };
  if (isStatic && !option('allow_duplicates', true)) {
    const key = roleKey(findRoleDir(name, scope.play.search, task.location), { ...task.vars });
    if (scope.play.loadedRoles?.has(key)) {
      wrapper.block = [];
      return wrapper;
    }
  }
  const from = (key: string): string | undefined => {
    const v = a[key] as string | undefined;
    return v === undefined ? v : staticText(v);
  };
  const { block } = loadRoleBlock(ctx, name, { ...task.vars }, wrapper, scope, {
    tasksFrom: from('tasks_from'),
    varsFrom: from('vars_from'),
    defaultsFrom: from('defaults_from'),
    handlersFrom: from('handlers_from'),
    loc: task.location,
    public: isStatic ? true : option('public', false),
    validate: option('rolespec_validate', true),
  });
  wrapper.block = [block];
  return wrapper;
}

/** Loads the blocks of a dynamic include_tasks at run time. */
export function loadIncludedTasks(ctx: LoaderContext, file: string, parent: Block, role: RoleInstance | undefined, play: Play, isHandler: boolean): (Task | Block)[] {
  const scope: Scope = { file, playbookDir: play.baseDir, role, play: playBuildOf(play, ctx), isHandler, dynamic: true };
  return loadTaskList(ctx, ctx.load(file), parent, scope);
}

/** Loads an include_role at run time. */
export function loadIncludedRole(ctx: LoaderContext, task: Task, parent: Block, play: Play): Block {
  const scope: Scope = { file: play.file, playbookDir: play.baseDir, role: task.role, play: playBuildOf(play, ctx), isHandler: task.isHandler, dynamic: true };
  return expandRole(ctx, task, parent, scope, false);
}

function playBuildOf(play: Play, ctx: LoaderContext): PlayBuild {
  return { roles: play.roles, handlers: play.handlers, search: { playbookDir: play.baseDir, rolesPath: ctx.options.rolesPath }, loadedRoles: play.loadedRoles };
}

/** What an import_playbook passes to the plays it loads: its vars, its when, its tags. */
interface PlaybookImport {
  vars: Record<string, unknown>;
  when: unknown[];
  tags: unknown[];
}

function loadPlay(ctx: LoaderContext, ds: Record<string, unknown>, file: string, imported: PlaybookImport): Play {
  const { vars: importVars, when: importWhen } = imported;
  const loc = ctx.loc(ds);
  for (const k of Object.keys(ds)) if (!PLAY_KEYWORDS.has(k)) fail(`'${k}' is not a valid attribute for a Play`, loc);
  if (ds.hosts === undefined || ds.hosts === null || ds.hosts === '') fail(`the field 'hosts' is required but was not set`, loc);
  const baseDir = path.dirname(file);
  const play: Play = {
    id: ctx.nextId(),
    name: ds.name === undefined || ds.name === null ? '' : String(ds.name),
    hostsPattern: ds.hosts,
    location: loc,
    vars: { ...varsKeyword(ds.vars, 'Play', loc) },
    varsFiles: asList(ds.vars_files),
    roles: [],
    preTasks: [],
    tasks: [],
    postTasks: [],
    handlers: [],
    gatherFacts: ds.gather_facts,
    gatherSubset: ds.gather_subset,
    gatherTimeout: ds.gather_timeout,
    factPath: ds.fact_path,
    serial: ds.serial,
    strategy: typeof ds.strategy === 'string' ? ds.strategy : 'linear',
    maxFailPercentage: ds.max_fail_percentage,
    forceHandlers: ds.force_handlers,
    tags: [...imported.tags, ...tagsOf(ds.tags)],
    when: importWhen,
    keywords: readKeywords(ds),
    baseDir,
    file,
    importVars,
  };
  if (ds.vars_prompt !== undefined) fail('vars_prompt is not supported by tsible yet', loc);
  const build: PlayBuild = {
    roles: play.roles, handlers: play.handlers, search: { playbookDir: baseDir, rolesPath: ctx.options.rolesPath }, loadedRoles: new Set(),
    staticVars: { playbook_dir: baseDir, ...importVars, ...play.vars },
  };
  const scope: Scope = { file, playbookDir: baseDir, play: build, isHandler: false };
  const section = (list: unknown): Block[] => {
    const top = newBlock(ctx, undefined, undefined, loc);
    top.isImplicit = true;
    return loadTaskList(ctx, list, top, scope).map((t) => {
      if (t.kind === 'block') {
        t.parent = undefined;
        return t;
      }
      // every top-level task gets its own implicit block, as Ansible does
      const b = newBlock(ctx, undefined, t.role, t.location);
      b.isImplicit = true;
      b.block = [t];
      t.parent = b;
      return b;
    });
  };
  play.preTasks = section(ds.pre_tasks);
  const roleBlocks: Block[] = [];
  const seenRoles = new Set<string>();
  for (const entry of asList(ds.roles)) {
    const e = parseRoleEntry(entry, loc);
    let name = e.name;
    if (ctx.options.templateStatic && name.includes('{{')) name = ctx.options.templateStatic(name, { playbook_dir: baseDir, ...play.vars });
    // a role listed again with the same params and keywords runs once (unless allow_duplicates)
    const key = JSON.stringify([name, e.params, e.keywords]);
    if (seenRoles.has(key) && !roleAllowsDuplicates(ctx, name, build.search)) continue;
    seenRoles.add(key);
    const holder = newBlock(ctx, undefined, undefined, ctx.loc(entry) ?? loc);
    holder.isImplicit = true;
    applyEntryKeywords(holder, e.keywords);
    const { block, role } = loadRoleBlock(ctx, name, e.params, holder, scope, { loc: ctx.loc(entry) ?? loc });
    // a role entry's `vars:` are role vars, visible to the whole play as in Ansible
    if (isDict(e.keywords.vars)) Object.assign(role.vars, e.keywords.vars);
    holder.block = [block];
    roleBlocks.push(holder);
  }
  play.tasks = [...roleBlocks, ...section(ds.tasks)];
  play.postTasks = section(ds.post_tasks);
  // include_role at run time goes on with the same set: its dependencies already run are left out
  play.loadedRoles = build.loadedRoles;
  const handlerTop = newBlock(ctx, undefined, undefined, loc);
  handlerTop.block = loadTaskList(ctx, ds.handlers, handlerTop, { ...scope, isHandler: true, handlerList: true });
  play.handlers.unshift(handlerTop);
  return play;
}

function roleAllowsDuplicates(ctx: LoaderContext, name: string, search: RoleSearch): boolean {
  const metaFile = roleFile(findRoleDir(name, search), 'meta');
  const meta = metaFile ? ctx.load(metaFile) : null;
  const allow = isDict(meta) ? meta.allow_duplicates : undefined;
  return allow === true || allow === 'yes' || allow === 'true';
}

/** Loads a playbook file (following import_playbook) into plays. */
export function loadPlaybook(ctx: LoaderContext, file: string, imported: PlaybookImport = { vars: {}, when: [], tags: [] }): Playbook {
  const abs = path.resolve(file);
  if (ctx.options.inline?.[abs] === undefined && !fs.existsSync(abs)) throw new TsibleError('MISSING_FILE', `the playbook: ${file} could not be found`);
  const data = ctx.load(abs);
  if (data === null) throw new TsibleError('PARSE', `Empty playbook, nothing to do: ${abs}`);
  if (!Array.isArray(data)) fail('A playbook must be a list of plays, got a ' + (isDict(data) ? 'dict' : typeof data) + ' instead', ctx.loc(data) ?? { file: abs, line: 1, column: 1 });
  const plays: Play[] = [];
  for (const entry of data) {
    const loc = ctx.loc(entry);
    if (!isDict(entry)) fail('playbook entries must be either valid plays or \'import_playbook\' statements', loc);
    const imp = entry.import_playbook ?? entry['ansible.builtin.import_playbook'];
    if (imp !== undefined) {
      const importVars = { ...imported.vars, ...(isDict(entry.vars) ? entry.vars : {}) };
      let named = String(imp);
      // the name may be templated with the import's vars and extra vars, as Ansible does
      if (named.includes('{{') && ctx.options.templateStatic) named = ctx.options.templateStatic(named, { playbook_dir: path.dirname(abs), ...importVars });
      const target = path.resolve(path.dirname(abs), named);
      // as Ansible's playbook loader: an imported playbook's library/ beside it provides modules too
      ctx.options.library?.addDir(path.join(path.dirname(target), 'library'));
      ctx.options.pythonPlugins?.addPluginDirs(path.dirname(target));
      const vars = { ...imported.vars, ...(isDict(entry.vars) ? entry.vars : {}) };
      const inner = { vars, when: [...imported.when, ...asList(entry.when)], tags: [...imported.tags, ...tagsOf(entry.tags)] };
      plays.push(...loadPlaybook(ctx, target, inner).plays);
      continue;
    }
    plays.push(loadPlay(ctx, entry, abs, imported));
  }
  return { file: abs, plays };
}
