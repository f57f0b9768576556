// The inventory graph: hosts, groups, parent/child links, depth and priority, and the
// rules Ansible enforces after every change (every group under 'all', 'ungrouped').
import { TsibleError } from '../errors';
import { IPV4, IPV6 } from './address';

export const LOCALHOST_NAMES = ['127.0.0.1', 'localhost', '::1'];
/** Python's INVALID_VARIABLE_NAMES: a leading digit or any non-word character. */
const INVALID_GROUP_CHARS = /^[\p{N}]|[^\p{L}\p{N}_]/u;

/** Bumped on every membership change so groups can cache their host lists. */
export interface Revision {
  n: number;
}

export class Group {
  readonly hosts: Host[] = [];
  /** Same members as `hosts`, for O(1) membership tests on big inventories. */
  readonly hostSet = new Set<Host>();
  readonly childGroups: Group[] = [];
  readonly parentGroups: Group[] = [];
  depth = 0;
  priority = 1;
  vars: Record<string, unknown> = {};
  private cachedHosts?: { revision: number; hosts: Host[] };
  constructor(
    readonly name: string,
    readonly revision: Revision = { n: 0 },
  ) {}

  /** Ancestors (parents, grandparents...) without self. */
  ancestors(): Set<Group> {
    return walk(this, (g) => g.parentGroups);
  }

  /** Self, then descendants breadth first: the order Ansible collects a group's hosts in. */
  descendantsInOrder(): Group[] {
    const ordered: Group[] = [this, ...this.childGroups];
    const seen = new Set<Group>(this.childGroups);
    let level = [...this.childGroups];
    while (level.length) {
      const next: Group[] = [];
      for (const g of level) {
        for (const kid of g.childGroups) {
          if (seen.has(kid)) continue;
          seen.add(kid);
          next.push(kid);
          ordered.push(kid);
        }
      }
      level = next;
    }
    return ordered;
  }

  /** Hosts of this group and of every descendant, first occurrence kept (a fresh array). */
  allHosts(): Host[] {
    const cached = this.cachedHosts;
    if (cached && cached.revision === this.revision.n) return [...cached.hosts];
    const hosts = this.collectHosts();
    this.cachedHosts = { revision: this.revision.n, hosts };
    return [...hosts];
  }

  private collectHosts(): Host[] {
    const seen = new Set<Host>();
    const out: Host[] = [];
    for (const g of this.descendantsInOrder()) {
      for (const h of g.hosts) {
        if (seen.has(h)) continue;
        seen.add(h);
        if (this.name === 'all' && h.implicit) continue;
        out.push(h);
      }
    }
    return out;
  }

  setVariable(key: string, value: unknown): void {
    if (key === 'ansible_group_priority') {
      const n = typeof value === 'number' ? value : parseInt(String(value), 10);
      if (!Number.isNaN(n)) this.priority = Math.trunc(n);
      return;
    }
    this.vars[key] = value;
  }
}

function walk(start: Group, next: (g: Group) => Group[]): Set<Group> {
  const seen = new Set<Group>();
  let todo = [...next(start)];
  while (todo.length) {
    const more: Group[] = [];
    for (const g of todo) {
      if (seen.has(g)) continue;
      seen.add(g);
      more.push(...next(g));
    }
    todo = more;
  }
  return seen;
}

export class Host {
  /** Groups the host belongs to, ancestors included, in the order they were joined. */
  readonly groups: Group[] = [];
  vars: Record<string, unknown> = {};
  implicit = false;
  constructor(
    readonly name: string,
    readonly port?: number,
  ) {
    if (port !== undefined) this.vars.ansible_port = port;
  }

  get inventoryFile(): string | null {
    return (this.vars.inventory_file as string | null | undefined) ?? null;
  }
  get inventoryDir(): string | null {
    return (this.vars.inventory_dir as string | null | undefined) ?? null;
  }
  /** inventory_hostname_short: up to the first dot, except for IP addresses. */
  get shortName(): string {
    if (IPV4.test(this.name) || IPV6.test(this.name)) return this.name;
    return this.name.split('.')[0] as string;
  }
  /** group_names: sorted, without 'all' (but with 'ungrouped'). */
  groupNames(): string[] {
    return this.groups
      .map((g) => g.name)
      .filter((n) => n !== 'all')
      .sort();
  }

  joinGroup(group: Group): void {
    for (const old of group.ancestors()) if (!this.groups.includes(old)) this.groups.push(old);
    if (!this.groups.includes(group)) this.groups.push(group);
  }

  leaveGroup(group: Group): void {
    const i = this.groups.indexOf(group);
    if (i < 0) return;
    this.groups.splice(i, 1);
    // drop ancestors no remaining group still needs
    for (const old of group.ancestors()) {
      if (old.name === 'all') continue;
      if (!this.groups.some((g) => g.ancestors().has(old))) this.leaveGroup(old);
    }
  }
}

/** The mutable graph, with the same invariants Ansible's InventoryData keeps. */
export class InventoryGraph {
  readonly revision: Revision = { n: 0 };
  readonly groups = new Map<string, Group>();
  readonly hosts = new Map<string, Host>();
  localhost?: Host;
  /** The source being parsed: new hosts record it as inventory_file. */
  currentSource?: string;
  currentSourceDir?: string | null;

  constructor(private readonly warn: (msg: string) => void = () => undefined) {
    this.reset();
  }

  /** Back to an empty inventory (all, ungrouped): meta refresh_inventory parses the sources again. */
  reset(): void {
    this.groups.clear();
    this.hosts.clear();
    this.localhost = undefined;
    this.revision.n++;
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): string {
    if (!name) throw new TsibleError('INVENTORY', `Invalid empty/false group name provided: ${name}`);
    if (!this.groups.has(name)) {
      // Ansible 2.14 keeps such names (TRANSFORM_INVALID_GROUP_CHARS=never) but warns
      if (INVALID_GROUP_CHARS.test(name)) {
        this.warn('Invalid characters were found in group names but not replaced, use -vvvv to see details');
      }
      this.groups.set(name, new Group(name, this.revision));
    }
    return name;
  }

  addHost(name: string, group?: string, port?: number): Host {
    if (!name) throw new TsibleError('INVENTORY', `Invalid empty host name provided: ${name}`);
    let g: Group | undefined;
    if (group) {
      g = this.groups.get(group);
      if (!g) throw new TsibleError('INVENTORY', `Could not find group ${group} in inventory`);
    }
    let host = this.hosts.get(name);
    if (!host) {
      host = new Host(name, port);
      this.hosts.set(name, host);
      host.vars.inventory_file = this.currentSource ?? null;
      host.vars.inventory_dir = this.currentSource ? this.currentSourceDir ?? null : null;
      if (LOCALHOST_NAMES.includes(name)) {
        if (!this.localhost) this.localhost = host;
        else {
          this.warn(
            `A duplicate localhost-like entry was found (${name}). First found localhost was ${this.localhost.name}`,
          );
        }
      }
    }
    if (g) addHostToGroup(g, host);
    return host;
  }

  addChild(groupName: string, child: string): boolean {
    const group = this.groups.get(groupName);
    if (!group) throw new TsibleError('INVENTORY', `${groupName} is not a known group`);
    const childGroup = this.groups.get(child);
    if (childGroup) return addChildGroup(group, childGroup);
    const host = this.hosts.get(child);
    if (host) return addHostToGroup(group, host);
    throw new TsibleError('INVENTORY', `${child} is not a known host nor group`);
  }

  setVariable(entity: string, key: string, value: unknown): void {
    const target = this.groups.get(entity) ?? this.hosts.get(entity);
    if (!target) throw new TsibleError('INVENTORY', `Could not identify group or host named ${entity}`);
    if (target instanceof Group) target.setVariable(key, value);
    else target.vars[key] = value;
  }

  /** Host by name; 'localhost'-like names give the implicit localhost when absent. */
  getHost(name: string, implicitPython: string): Host | undefined {
    const found = this.hosts.get(name);
    if (found || !LOCALHOST_NAMES.includes(name)) return found;
    if (!this.localhost) {
      const host = new Host(name);
      host.implicit = true;
      // the 'all' group's vars reach it through the group layers, like any host
      host.vars = { ansible_python_interpreter: implicitPython, ansible_connection: 'local' };
      this.localhost = host;
    }
    return this.localhost;
  }

  all(): Group {
    return this.groups.get('all') as Group;
  }

  /** Every group hangs under 'all'; hosts with no group go to 'ungrouped', others leave it. */
  reconcile(): void {
    const all = this.all();
    const ungrouped = this.groups.get('ungrouped') as Group;
    for (const group of this.groups.values()) {
      if (group !== all && group.ancestors().size === 0) addChildGroup(all, group);
    }
    for (const host of this.hosts.values()) {
      const mine = host.groups;
      if (mine.includes(ungrouped)) {
        if (mine.some((g) => g !== all && g !== ungrouped)) removeHostFromGroup(ungrouped, host);
      } else if (!host.implicit) {
        if (mine.length === 0 || (mine.length === 1 && mine[0] === all)) addHostToGroup(ungrouped, host);
      }
    }
    for (const name of this.groups.keys()) {
      if (this.hosts.has(name)) this.warn(`Found both group and host with same name: ${name}`);
    }
  }
}

export function addHostToGroup(group: Group, host: Host): boolean {
  if (group.hostSet.has(host)) return false;
  group.hosts.push(host);
  group.hostSet.add(host);
  group.revision.n++;
  host.joinGroup(group);
  return true;
}

function removeHostFromGroup(group: Group, host: Host): void {
  if (!group.hostSet.has(host)) return;
  group.hosts.splice(group.hosts.indexOf(host), 1);
  group.hostSet.delete(host);
  group.revision.n++;
  host.leaveGroup(group);
}

export function addChildGroup(parent: Group, child: Group): boolean {
  if (parent === child) throw new TsibleError('INVENTORY', "can't add group to itself");
  if (parent.childGroups.includes(child)) return false;
  const parentAncestors = parent.ancestors();
  if (parentAncestors.has(child)) {
    throw new TsibleError(
      'INVENTORY',
      `Adding group '${child.name}' as child to '${parent.name}' creates a recursive dependency loop.`,
    );
  }
  const childAncestors = child.ancestors();
  const newAncestors = new Set([...parentAncestors, parent].filter((g) => !childAncestors.has(g)));
  parent.childGroups.push(child);
  parent.revision.n++;
  raiseDepth(child, parent.depth + 1);
  if (!child.parentGroups.includes(parent)) {
    child.parentGroups.push(parent);
    for (const h of child.allHosts()) {
      for (const g of newAncestors) if (!h.groups.includes(g)) h.groups.push(g);
    }
  }
  return true;
}

function raiseDepth(group: Group, depth: number): void {
  if (group.depth >= depth) return;
  group.depth = depth;
  for (const kid of group.childGroups) raiseDepth(kid, depth + 1);
}
