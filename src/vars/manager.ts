// Per-host variable state of a run (facts, set_fact/register, include_vars) and the
// composition of a task's variables in the precedence order of precedence.ts.
import type { Inventory } from '../inventory';
import type { FactCache } from './fact-cache';
import type { Block, Play, RoleInstance, Task } from '../playbook/model';
import { LAZY, type LazyMapping, Undefined } from '../template/pyvalues';
import { ancestors, blockAndTaskVars, keywordChain } from '../executor/inherit';
import { mergeLayers } from './precedence';
import { roleDefaultLayers, roleVarLayers } from './role-vars';
import { cleanFacts } from './clean-facts';
import type { TemplarApi } from '../template/types';
import { UndefinedVariableError } from '../errors';

export interface MagicContext {
  playbookDir: string;
  checkMode: boolean;
  diffMode: boolean;
  verbosity: number;
  runTags: string[];
  skipTags: string[];
  omitToken: string;
  forks: number;
  inventorySources: string[];
  configFile?: string;
  version: string;
  /** ansible_playbook_python: the controller's python3 (inventories template interpreters from it). */
  playbookPython?: string;
  /** -c / --connection, and the connection timeout (--timeout or ansible.cfg): defaults of the
   * connection variables a task sees. */
  connection?: string;
  timeout?: number;
}

export interface PlayScope {
  play: Play;
  playHosts: string[]; // ansible_play_hosts (not failed)
  playHostsAll: string[];
  playBatch: string[];
  /** ansible_play_batch: the batch's hosts that have not failed (playBatch when unset). */
  playBatchAlive?: string[];
  /** vars_files loaded for each host at play start. */
  varsFiles: Map<string, Record<string, unknown>>;
}

/** Role chain for a task: outermost parent role first, the task's own role last. */
function roleChain(role: RoleInstance | undefined): RoleInstance[] {
  const out: RoleInstance[] = [];
  for (let r = role; r; r = r.parent) out.unshift(r);
  return out;
}

/** Facts as Ansible exposes them under ansible_facts: the ansible_ prefix removed. */
export function namespaceFacts(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) out[k.startsWith('ansible_') ? k.slice(8) : k] = v;
  return out;
}

export class VariableManager {
  /** Renders hostvars values in the context of their own host; set by the run. */
  templarFactory?: (vars: Record<string, unknown>) => TemplarApi;
  /** A persistent fact cache (fact_caching = jsonfile); set by the run when configured. */
  factCache?: FactCache;
  private readonly facts = new Map<string, Record<string, unknown>>();
  private readonly nonPersistent = new Map<string, Record<string, unknown>>();
  private readonly includeVars = new Map<string, Record<string, unknown>>();

  constructor(
    readonly inventory: Inventory,
    private readonly extraVars: Record<string, unknown>,
    private readonly magic: MagicContext,
  ) {}

  private bucket(map: Map<string, Record<string, unknown>>, host: string): Record<string, unknown> {
    let b = map.get(host);
    if (!b) {
      b = {};
      map.set(host, b);
    }
    return b;
  }

  /** Facts as stored: keys as the module returned them (setup facts carry the ansible_ prefix). */
  setFacts(host: string, facts: Record<string, unknown>): void {
    const stored = Object.assign(this.storedFacts(host), facts);
    this.factCache?.save(host, stored);
  }
  /** meta: clear_facts empties the fact cache only; set_fact values stay (as in Ansible). */
  clearFacts(host: string): void {
    this.facts.set(host, {});
    this.factCache?.flush(host);
  }
  hasFacts(host: string): boolean {
    return Object.keys(this.storedFacts(host)).length > 0;
  }
  factsOf(host: string): Record<string, unknown> {
    return namespaceFacts(this.storedFacts(host));
  }
  /** The host's facts, read from the persistent cache the first time they are needed. */
  private storedFacts(host: string): Record<string, unknown> {
    let b = this.facts.get(host);
    if (!b) {
      b = { ...(this.factCache?.load(host) ?? {}) };
      this.facts.set(host, b);
    }
    return b;
  }
  setNonPersistent(host: string, vars: Record<string, unknown>): void {
    Object.assign(this.bucket(this.nonPersistent, host), vars);
  }
  setIncludeVars(host: string, vars: Record<string, unknown>): void {
    Object.assign(this.bucket(this.includeVars, host), vars);
  }

  /** All variables for a host (and task), in precedence order, plus magic variables. */
  getVars(host: string, scope: PlayScope | undefined, task?: Task, includeHostvars = true, extraTaskVars?: Record<string, unknown>): Record<string, unknown> {
    return this.compose(host, scope, task, includeHostvars, extraTaskVars, true);
  }

  /** getVars' layers; without `playLayers` (hostvars' view, as Ansible's get_vars without a play)
   * no role defaults/vars, play vars, vars_files or play-scoped magic variables. */
  private compose(host: string, scope: PlayScope | undefined, task: Task | undefined, includeHostvars: boolean,
    extraTaskVars: Record<string, unknown> | undefined, playLayers: boolean): Record<string, unknown> {
    const play = playLayers ? scope?.play : undefined;
    const chain = roleChain(task?.role);
    const layers: Record<string, unknown>[] = [];
    // 1. role defaults
    for (const r of play?.roles ?? []) if (r.publicVars) layers.push(r.defaults);
    if (task?.role) layers.push(...roleDefaultLayers(task.role));
    // 2. inventory
    for (const l of this.inventory.varLayers(host, scope?.play.baseDir)) layers.push(l.vars);
    // 3. facts
    const stored = this.storedFacts(host);
    // Ansible's clean_facts: a fact cannot replace ansible_facts, connection or interpreter variables
    layers.push({ ansible_facts: namespaceFacts(stored) }, cleanFacts(stored));
    // 4-5. play vars, vars_files (import_playbook vars act as play vars)
    if (play) layers.push(play.importVars, play.vars, scope?.varsFiles.get(host) ?? {});
    // 6. role vars
    for (const r of play?.roles ?? []) if (r.publicVars) layers.push(r.vars);
    if (task?.role) layers.push(...roleVarLayers(task.role));
    // 7. block and task vars
    if (task) layers.push(blockAndTaskVars(task));
    // 8-9. include_vars, set_fact/register
    layers.push(this.includeVars.get(host) ?? {}, this.nonPersistent.get(host) ?? {});
    // 10. role params, include params
    for (const r of chain) layers.push(r.params);
    if (task) for (const b of ancestors(task)) if (b.includeParams) layers.push(b.includeParams);
    if (extraTaskVars) layers.push(extraTaskVars);
    // 11. extra vars
    layers.push(this.extraVars);
    const all = mergeLayers(layers);
    // 12. magic vars
    Object.assign(all, this.magicVars(host, scope, task, includeHostvars, playLayers));
    all.vars = { ...all };
    if (task && includeHostvars) this.addConnectionVars(all, host, task, play);
    return all;
  }

  /** The connection variables Ansible's play context adds to a task's variables when unset
   * (PlayContext.update_vars): not in `vars` or hostvars, only the task's own view. */
  private addConnectionVars(all: Record<string, unknown>, host: string, task: Task, play: Play | undefined): void {
    // the implicit localhost's address is 127.0.0.1, every other host's its inventory name
    const address = all.ansible_host ?? all.ansible_ssh_host ?? (this.inventory.host(host)?.implicit ? '127.0.0.1' : host);
    // (tasks built by hand, e.g. in tests, may carry no keywords)
    const keyword = task.keywords ? keywordChain(task, 'connection', play).find((c) => typeof c === 'string' && !c.includes('{{')) : undefined;
    const timeout = this.magic.timeout ?? 10;
    const defaults: Record<string, unknown> = {
      ansible_connection: keyword ?? this.magic.connection ?? 'ssh',
      ansible_module_compression: 'ZIP_DEFLATED',
      ansible_shell_executable: '/bin/sh',
      ansible_host: address,
      ansible_ssh_host: address,
      ansible_pipelining: false,
      ansible_ssh_pipelining: false,
      ansible_timeout: timeout,
      ansible_ssh_timeout: timeout,
    };
    for (const [k, v] of Object.entries(defaults)) if (!(k in all)) all[k] = v;
  }

  private magicVars(host: string, scope: PlayScope | undefined, task: Task | undefined, includeHostvars: boolean, playScoped: boolean): Record<string, unknown> {
    const inv = this.inventory.magicVars(host);
    const m = this.magic;
    const role = task?.role;
    const out: Record<string, unknown> = {
      ...inv,
      groups: this.inventory.groups(),
      // an imported playbook's plays see their own file's directory, as in Ansible
      playbook_dir: scope?.play.baseDir ?? m.playbookDir,
      ansible_check_mode: m.checkMode,
      ansible_diff_mode: m.diffMode,
      ansible_verbosity: m.verbosity,
      ansible_run_tags: m.runTags.length ? m.runTags : ['all'],
      ansible_skip_tags: m.skipTags,
      ansible_forks: m.forks,
      ansible_inventory_sources: m.inventorySources,
      ansible_config_file: m.configFile ?? null,
      ansible_version: versionInfo(m.version),
      ansible_playbook_python: m.playbookPython ?? '/usr/bin/python3',
      omit: m.omitToken,
    };
    if (scope && playScoped) {
      out.ansible_play_hosts = scope.playHosts;
      out.play_hosts = scope.playHosts;
      out.ansible_play_hosts_all = scope.playHostsAll;
      out.ansible_play_batch = scope.playBatchAlive ?? scope.playBatch;
      const hp = scope.play.hostsPattern;
      out.ansible_play_name = scope.play.name || (Array.isArray(hp) ? hp.join(',') : String(hp));
      // play.roles also lists dependencies and dynamic includes: keep the play's own (and static) roles
      const playRoles = scope.play.roles.filter((r) => !r.parent && r.publicVars);
      out.ansible_play_role_names = [...new Set(playRoles.map((r) => r.name))];
      out.role_names = out.ansible_play_role_names;
      const deps = new Set<string>();
      const walk = (rs: RoleInstance[]): void => rs.forEach((r) => (deps.add(r.name), walk(r.dependencies)));
      for (const r of playRoles) walk(r.dependencies);
      out.ansible_dependent_role_names = [...deps];
      out.ansible_role_names = [...new Set([...playRoles.map((r) => r.name), ...deps])];
    }
    if (role) {
      out.role_name = role.name;
      out.role_path = role.path;
      out.ansible_role_name = role.name;
      const chain = role.isDependency ? [] : roleChain(role.parent).reverse();
      if (chain.length) {
        out.ansible_parent_role_names = chain.map((r) => r.name);
        out.ansible_parent_role_paths = chain.map((r) => r.path);
      }
    }
    if (includeHostvars) out.hostvars = this.hostvars(scope);
    return out;
  }

  /** hostvars: every inventory host's variables, computed on access. */
  hostvars(scope: PlayScope | undefined): LazyMapping {
    const names = (): string[] => this.inventory.hosts().map((h) => h.name);
    const self = this;
    return {
      [LAZY]: true,
      get(key: string): unknown {
        if (!self.inventory.host(key)) return new Undefined(key, `"hostvars['${key}']" is undefined`);
        return self.lazyHostVars(key, scope);
      },
      // `in` and hostvars[...] find the implicit localhost too; iterating lists inventory hosts only
      has: (key: string) => self.inventory.host(key) !== undefined,
      keys: names,
    };
  }

  /** hostvars['h']: the host's variables, each rendered with that host's own variables. */
  private lazyHostVars(host: string, scope: PlayScope | undefined): LazyMapping {
    let raw: Record<string, unknown> | undefined;
    let templar: TemplarApi | undefined;
    const load = (): Record<string, unknown> => (raw ??= this.hostVarsOf(host, scope));
    const get = (key: string): unknown => {
      const vars = load();
      if (!(key in vars)) return new Undefined(key, `"hostvars['${host}']" has no attribute '${key}'`);
      if (!this.templarFactory) return vars[key];
      templar ??= this.templarFactory({ ...vars, hostvars: this.hostvars(scope) });
      // as Ansible's HostVarsVars: what cannot be templated yet stays as it is
      return templar.template(vars[key], { failOnUndefined: false });
    };
    return {
      [LAZY]: true,
      get,
      reprValue: (key: string): unknown => {
        try {
          return get(key);
        } catch (e) {
          if (e instanceof UndefinedVariableError) return load()[key];
          throw e;
        }
      },
      has: (key: string) => key in load(),
      keys: () => Object.keys(load()),
    };
  }

  /** One host's variables as seen through hostvars (no task context). */
  hostVarsOf(host: string, scope: PlayScope | undefined): Record<string, unknown> {
    const v = this.compose(host, scope, undefined, false, undefined, false);
    delete v.vars;
    return v;
  }
}

function versionInfo(version: string): Record<string, unknown> {
  const [major, minor, revision] = version.split('.').map(Number);
  return { full: version, major, minor, revision, string: version };
}

export type { Block };
