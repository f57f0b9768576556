// The Inventory facade the engine uses: loading, host lookup, the groups/group_names
// magic variables, patterns with --limit, add_host/group_by, and per-host var layers.
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError } from '../errors';
import { Group, Host, InventoryGraph, addChildGroup, addHostToGroup } from './model';
import { evaluatePatterns, PatternContext, PatternMismatch, splitHostPattern } from './patterns';
import { normaliseSource, parseSources, SourceOptions } from './sources';
import { inventoryBasedirs, VarLayer, varLayersFor } from './var-layers';
import { VarsFileCache } from './vars-files';

export interface LoadInventoryOptions extends SourceOptions {
  cwd: string;
  /** Directory of the playbook: its group_vars/ and host_vars/ apply too. */
  playbookDir?: string;
  loadYaml: (file: string) => unknown;
  /** Receives Ansible's warnings; without it they are only collected in `inventory.warnings`. */
  warn?: (msg: string) => void;
  /** ansible_python_interpreter of the implicit localhost. */
  implicitLocalhostPython?: string;
  /** host_pattern_mismatch (default 'warning'). */
  hostPatternMismatch?: PatternMismatch;
}

export function loadInventory(sources: string[], opts: LoadInventoryOptions): Inventory {
  const inventory = new Inventory(
    sources.map((s) => normaliseSource(s, opts.cwd)),
    opts,
  );
  parseSources(
    { graph: inventory.graph, loadYaml: opts.loadYaml, warn: (m) => inventory.warn(m), options: opts },
    inventory.sources,
  );
  return inventory;
}

export interface MagicInventoryVars {
  inventory_hostname: string;
  inventory_hostname_short: string;
  group_names: string[];
  inventory_file: string | null;
  inventory_dir: string | null;
}

export class Inventory {
  readonly graph = new InventoryGraph((m) => this.warn(m));
  readonly warnings: string[] = [];
  private subset?: string[];
  private patternCache: { revision: number; entries: Map<string, Host[]> } = { revision: -1, entries: new Map() };
  private inventoryDirs?: string[];
  private varsFiles: VarsFileCache;
  /** add_host and group_by requests of the run, replayed after refresh_inventory as in Ansible. */
  private readonly dynamicHosts: { name: string; groups: string[]; vars: Record<string, unknown> }[] = [];
  private readonly dynamicGroupings: { host: string; group: string; parents: string[] }[] = [];

  constructor(
    /** Normalised -i sources, in order. */
    readonly sources: string[],
    private readonly opts: LoadInventoryOptions,
  ) {
    this.varsFiles = new VarsFileCache(opts.loadYaml);
  }

  /** Like Ansible's Display, each distinct warning is given once. */
  warn(msg: string): void {
    if (this.warnings.includes(msg)) return;
    this.warnings.push(msg);
    this.opts.warn?.(msg);
  }

  /** Every host in the order it was first defined (plays use resolvePattern's order). */
  hosts(): Host[] {
    return [...this.graph.hosts.values()];
  }

  /** A host by name; 'localhost', '127.0.0.1' and '::1' give the implicit localhost when not defined. */
  host(name: string): Host | undefined {
    return this.graph.getHost(name, this.opts.implicitLocalhostPython ?? '/usr/bin/python3');
  }

  group(name: string): Group | undefined {
    return this.graph.groups.get(name);
  }

  /** The `groups` magic variable. */
  groups(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [name, group] of this.graph.groups) out[name] = group.allHosts().map((h) => h.name);
    return out;
  }

  /** The `group_names` magic variable: sorted, without 'all'. */
  groupNames(hostName: string): string[] {
    return this.host(hostName)?.groupNames() ?? [];
  }

  magicVars(hostName: string): MagicInventoryVars {
    const host = this.host(hostName);
    if (!host) throw new TsibleError('INVENTORY', `Could not identify host named ${hostName}`);
    return {
      inventory_hostname: host.name,
      inventory_hostname_short: host.shortName,
      group_names: host.groupNames(),
      inventory_file: host.inventoryFile,
      inventory_dir: host.inventoryDir,
    };
  }

  /** meta refresh_inventory: the sources parsed again, then the run's add_host and group_by
   *  requests replayed (hosts first, then groupings), as Ansible's InventoryManager does. */
  refresh(): void {
    this.graph.reset();
    this.varsFiles = new VarsFileCache(this.opts.loadYaml);
    this.inventoryDirs = undefined;
    parseSources({ graph: this.graph, loadYaml: this.opts.loadYaml, warn: (m) => this.warn(m), options: this.opts }, this.sources);
    for (const h of this.dynamicHosts) this.addHost(h.name, h.groups, h.vars, false);
    for (const g of this.dynamicGroupings) {
      if (this.graph.hosts.has(g.host) || this.graph.localhost?.name === g.host) this.groupBy(g.host, g.group, g.parents, false);
    }
  }

  /** add_host: creates the host if needed, merges its vars, adds it to groups (created if needed). */
  addHost(name: string, groups: string[] = [], vars: Record<string, unknown> = {}, record = true): { host: Host; changed: boolean } {
    if (record) this.dynamicHosts.push({ name, groups, vars });
    let changed = false;
    if (!this.graph.hosts.has(name)) {
      this.graph.addHost(name, 'all');
      changed = true;
    }
    const host = this.graph.hosts.get(name) as Host;
    for (const [k, v] of Object.entries(vars)) {
      if (!(k in host.vars) || !sameValue(host.vars[k], v)) changed = true;
      host.vars[k] = v;
    }
    for (const groupName of groups) {
      if (!this.graph.groups.has(groupName)) {
        this.graph.addGroup(groupName);
        changed = true;
      }
      if (addHostToGroup(this.graph.groups.get(groupName) as Group, host)) changed = true;
    }
    if (changed) this.graph.reconcile();
    return { host, changed };
  }

  /** Creates a group (no-op when it exists); returns its name. */
  addGroup(name: string, parents: string[] = []): string {
    this.graph.addGroup(name);
    for (const parent of parents) {
      this.graph.addGroup(parent);
      addChildGroup(this.graph.groups.get(parent) as Group, this.graph.groups.get(name) as Group);
    }
    this.graph.reconcile();
    return name;
  }

  /** group_by: puts a host into a group (created on demand, under the given parents). */
  groupBy(hostName: string, groupName: string, parents: string[] = [], record = true): boolean {
    if (record) this.dynamicGroupings.push({ host: hostName, group: groupName, parents });
    const host = this.graph.hosts.get(hostName) ?? (this.graph.localhost?.name === hostName ? this.graph.localhost : undefined);
    if (!host) throw new TsibleError('INVENTORY', `${hostName} cannot be matched in inventory`);
    let changed = false;
    this.graph.addGroup(groupName);
    for (const parent of parents) {
      if (!this.graph.groups.has(parent)) {
        this.graph.addGroup(parent);
        changed = true;
      }
    }
    const group = this.graph.groups.get(groupName) as Group;
    for (const parent of parents) {
      if (addChildGroup(this.graph.groups.get(parent) as Group, group)) changed = true;
    }
    if (addHostToGroup(group, host)) changed = true;
    if (changed) this.graph.reconcile();
    return changed;
  }

  /** --limit: patterns (comma/colon lists) and @file entries (one pattern per line). */
  applyLimit(limit: string | string[] | undefined): void {
    if (limit === undefined || (Array.isArray(limit) && limit.length === 0)) {
      this.subset = undefined;
      this.patternCache = { revision: -1, entries: new Map() };
      return;
    }
    this.patternCache = { revision: -1, entries: new Map() };
    const results: string[] = [];
    for (const item of splitHostPattern(limit)) {
      if (item[0] !== '@') {
        results.push(item);
        continue;
      }
      const file = path.resolve(this.opts.cwd, item.slice(1));
      if (!fs.existsSync(file)) throw new TsibleError('MISSING_FILE', `Unable to find limit file b'${item.slice(1)}'`);
      if (!fs.statSync(file).isFile()) {
        throw new TsibleError('BAD_PATTERN', `Limit starting with "@" must be a file, not a directory: b'${item.slice(1)}'`);
      }
      results.push(...fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()));
    }
    this.subset = results;
  }

  /** Hosts matching a pattern (and the --limit), in Ansible's order, without duplicates. */
  resolvePattern(pattern: string | string[], opts: { ignoreLimits?: boolean } = {}): Host[] {
    const list = Array.isArray(pattern) ? pattern : [pattern];
    if (list.length === 0) return [];
    const useLimit = !opts.ignoreLimits && this.subset !== undefined;
    // like Ansible's pattern cache: valid until the inventory or the limit changes
    const key = JSON.stringify([list, useLimit]);
    if (this.patternCache.revision !== this.graph.revision.n) this.patternCache = { revision: this.graph.revision.n, entries: new Map() };
    const cached = this.patternCache.entries.get(key);
    if (cached) return [...cached];
    const ctx = this.patternContext();
    let hosts = evaluatePatterns(ctx, splitHostPattern(pattern));
    if (useLimit && this.subset) {
      const allowed = new Set(evaluatePatterns(ctx, this.subset));
      hosts = hosts.filter((h) => allowed.has(h));
    }
    const result = [...new Set(hosts)];
    this.patternCache.entries.set(key, result);
    return [...result];
  }

  /** Inventory variable layers of a host, lowest precedence first (see var-layers.ts). */
  varLayers(hostName: string, playbookDir: string | undefined = this.opts.playbookDir): VarLayer[] {
    const host = this.host(hostName);
    if (!host) throw new TsibleError('INVENTORY', `Could not identify host named ${hostName}`);
    this.inventoryDirs ??= inventoryBasedirs(this.sources);
    return varLayersFor(host, this.graph.all(), {
      inventoryDirs: this.inventoryDirs,
      playbookDir,
      files: this.varsFiles,
    });
  }

  private patternContext(): PatternContext {
    return {
      graph: this.graph,
      warn: (m) => this.warn(m),
      mismatch: this.opts.hostPatternMismatch ?? 'warning',
      implicitLocalhost: (name) => this.host(name),
    };
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
