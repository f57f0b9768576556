// The INI inventory format: [group], [group:vars], [group:children] sections, host
// lines with inline variables, values read as Python literals when they are ones.
import { expandHostPattern } from './address';
import { InventoryGraph } from './model';
import { NO_LITERAL, pyLiteralEval } from './pyliteral';
import { ShlexError, shlexSplit } from '../util/shlex';

/** A source a plugin could not parse; the loader turns it into Ansible's warnings. */
export class SourceParseError extends Error {}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

/** A value from an INI file: a Python literal if it parses as one, else the text. */
export function parseIniValue(text: string): unknown {
  const v = pyLiteralEval(text);
  return v === NO_LITERAL ? text : v;
}

export function parseIni(graph: InventoryGraph, path: string, text: string): void {
  const pending = new Map<string, Pending>();
  let groupName = 'ungrouped';
  let state = 'hosts';
  const lines = text.split(/\r\n|\r|\n/);
  let lineNo = 0;
  const raise = (msg: string): never => {
    throw new SourceParseError(`${path}:${lineNo}: ${msg}`);
  };
  for (const rawLine of lines) {
    lineNo++;
    const line = rawLine.trim();
    if (!line || line[0] === '#' || line[0] === ';') continue;
    const section = SECTION.exec(line);
    if (section) {
      groupName = section[1] as string;
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) {
        raise(`Section [${section[1]}:${section[2]}] has unknown type: ${state}`);
      }
      if (!graph.groups.has(groupName)) {
        if (state === 'vars' && !pending.has(groupName)) pending.set(groupName, { line: lineNo, state: 'vars', parents: [] });
        graph.addGroup(groupName);
      }
      const waiting = pending.get(groupName);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') addPendingChildren(graph, groupName, pending);
        else pending.delete(groupName);
      }
      continue;
    } else if (line.startsWith('[') && line.endsWith(']')) {
      raise(
        `Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`,
      );
    }
    if (state === 'hosts') {
      let tokens: string[] = [];
      try {
        tokens = shlexSplit(line);
      } catch (e) {
        if (e instanceof ShlexError) raise(`Error parsing host definition '${line}': ${e.message}`);
        throw e;
      }
      if (tokens.length === 0) continue;
      const hostPattern = tokens[0] as string;
      const { hosts, port } = expandIniHostPattern(hostPattern);
      const variables: Record<string, unknown> = {};
      for (const token of tokens.slice(1)) {
        const eq = token.indexOf('=');
        if (eq < 0) raise(`Expected key=value host variable assignment, got: ${token}`);
        variables[token.slice(0, eq)] = parseIniValue(token.slice(eq + 1));
      }
      for (const host of hosts) {
        graph.addHost(host, groupName, port);
        for (const [k, v] of Object.entries(variables)) graph.setVariable(host, k, v);
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) raise(`Expected key=value, got: ${line}`);
      graph.setVariable(groupName, line.slice(0, eq).trim(), parseIniValue(line.slice(eq + 1).trim()));
    } else {
      const m = GROUP_NAME.exec(line);
      if (!m) return raise(`Expected group name, got: ${line}`);
      const child = m[1] as string;
      if (!graph.groups.has(child)) {
        const waiting = pending.get(child);
        if (!waiting) pending.set(child, { line: lineNo, state: 'children', parents: [groupName] });
        else waiting.parents.push(groupName);
      } else {
        graph.addChild(groupName, child);
      }
    }
  }
  for (const [name, decl] of pending) {
    if (decl.state === 'vars') {
      throw new SourceParseError(`${path}:${decl.line}: Section [${name}:vars] not valid for undefined group: ${name}`);
    }
    throw new SourceParseError(
      `${path}:${decl.line}: Section [${decl.parents[decl.parents.length - 1]}:children] includes undefined group: ${name}`,
    );
  }
}

function addPendingChildren(graph: InventoryGraph, group: string, pending: Map<string, Pending>): void {
  const decl = pending.get(group);
  if (!decl) return;
  for (const parent of decl.parents) {
    graph.addChild(parent, group);
    if (pending.get(parent)?.state === 'children') addPendingChildren(graph, parent, pending);
  }
  pending.delete(group);
}

function expandIniHostPattern(pattern: string): { hosts: string[]; port?: number } {
  let expanded: { hosts: string[]; port?: number };
  try {
    expanded = expandHostPattern(pattern);
  } catch (e) {
    throw new SourceParseError((e as Error).message);
  }
  if (pattern.trim().endsWith(':') && expanded.port === undefined) {
    throw new SourceParseError(
      `Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`,
    );
  }
  if (expanded.hosts.some((h) => h.trim() === '---')) {
    throw new SourceParseError(`Invalid host pattern '${pattern}' supplied, '---' is normally a sign this is a YAML file.`);
  }
  return expanded;
}
