// The YAML (and JSON) inventory format: top-level groups with vars, children and hosts,
// children nesting to any depth. Data comes already parsed from the injected loader.
import { isDict } from '../template/pyvalues';
import { expandHostPattern } from './address';
import { SourceParseError } from './ini';
import { InventoryGraph } from './model';

const SECTIONS = ['vars', 'children', 'hosts'];

export function parseYamlInventory(graph: InventoryGraph, data: unknown, warn: (msg: string) => void): void {
  if (data === null || data === undefined || data === '' || (isDict(data) && Object.keys(data).length === 0)) {
    throw new SourceParseError('Parsed empty YAML file');
  }
  if (!isDict(data)) {
    throw new SourceParseError(
      `YAML inventory has invalid structure, it should be a dictionary, got: <class '${pyTypeName(data)}'>`,
    );
  }
  if (data.plugin) throw new SourceParseError('Plugin configuration YAML file, not YAML inventory');
  for (const [groupName, groupData] of Object.entries(data)) parseGroup(graph, groupName, groupData, warn);
}

function pyTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'ansible.parsing.yaml.objects.AnsibleUnicode';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function parseGroup(graph: InventoryGraph, group: string, groupData: unknown, warn: (msg: string) => void): string {
  if (groupData !== null && groupData !== undefined && !isDict(groupData)) {
    warn(`Skipping '${group}' as this is not a valid group definition`);
    return group;
  }
  graph.addGroup(group);
  if (!groupData) return group;
  const sections: Record<string, unknown> = { ...groupData };
  for (const section of SECTIONS) {
    if (!(section in sections)) continue;
    const value = sections[section];
    if (typeof value === 'string') sections[section] = { [value]: null };
    else if (value !== null && value !== undefined && !isDict(value)) {
      throw new SourceParseError(
        `Invalid "${section}" entry for "${group}" group, requires a dictionary, found "<class '${pyTypeName(value)}'>" instead.`,
      );
    }
  }
  for (const [key, value] of Object.entries(sections)) {
    if (value === null || value === undefined) continue;
    if (!isDict(value)) {
      warn(`Skipping key (${key}) in group (${group}) as it is not a mapping, it is a <class '${pyTypeName(value)}'>`);
      continue;
    }
    if (key === 'vars') {
      for (const [k, v] of Object.entries(value)) graph.setVariable(group, k, v);
    } else if (key === 'children') {
      for (const [sub, subData] of Object.entries(value)) {
        parseGroup(graph, sub, subData, warn);
        graph.addChild(group, sub);
      }
    } else if (key === 'hosts') {
      for (const [hostPattern, hostVars] of Object.entries(value)) addHosts(graph, group, hostPattern, hostVars);
    } else {
      warn(`Skipping unexpected key (${key}) in group (${group}), only "vars", "children" and "hosts" are valid`);
    }
  }
  return group;
}

function addHosts(graph: InventoryGraph, group: string, hostPattern: string, hostVars: unknown): void {
  let expanded: { hosts: string[]; port?: number };
  try {
    expanded = expandHostPattern(hostPattern);
  } catch (e) {
    throw new SourceParseError((e as Error).message);
  }
  const vars = hostVars ?? {};
  if (!isDict(vars)) {
    throw new SourceParseError(`Invalid data from file, expected dictionary and got:\n\n${String(vars)}`);
  }
  for (const host of expanded.hosts) {
    graph.addHost(host, group, expanded.port);
    for (const [k, v] of Object.entries(vars)) graph.setVariable(host, k, v);
  }
}
