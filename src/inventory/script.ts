// Executable inventory scripts: run `SCRIPT --list` (and `--host H` when the output has
// no _meta.hostvars) and read the JSON groups, hosts, vars and children it prints.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { isDict, pyStr } from '../template/pyvalues';
import { InventoryGraph } from './model';

/** Ansible's script plugin takes a file that is executable or starts with a shebang. */
export function isInventoryScript(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    try {
      const fd = fs.openSync(file, 'r');
      const head = Buffer.alloc(2);
      fs.readSync(fd, head, 0, 2, 0);
      fs.closeSync(fd);
      return head.toString('latin1') === '#!';
    } catch {
      return false;
    }
  }
}

function run(file: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`problem running ${[file, ...args].join(' ')} (${r.error.message})`);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export function parseInventoryScript(graph: InventoryGraph, file: string): void {
  const listed = run(file, ['--list']);
  let err = listed.stderr;
  if (err && !err.endsWith('\n')) err += '\n';
  if (listed.status !== 0) throw new Error(`Inventory script (${file}) had an execution error: ${err} `);
  let processed: unknown;
  try {
    processed = JSON.parse(listed.stdout);
  } catch (e) {
    throw new Error(`failed to parse executable inventory script results from ${file}: ${(e as Error).message}\n${err}`);
  }
  if (!isDict(processed)) {
    throw new Error(`failed to parse executable inventory script results from ${file}: needs to be a json dict\n${err}`);
  }
  const hosts: string[] = [];
  let metaHostvars: unknown;
  for (const [group, data] of Object.entries(processed)) {
    if (group === '_meta') {
      if (isDict(data) && 'hostvars' in data) metaHostvars = data.hostvars;
    } else {
      parseScriptGroup(graph, group, data, hosts);
    }
  }
  for (const host of hosts) {
    let vars: unknown;
    if (metaHostvars === undefined) vars = hostVariables(file, host);
    else if (isDict(metaHostvars)) vars = metaHostvars[host] ?? {};
    else throw new Error(`Improperly formatted host information for ${host}: 'list' object has no attribute 'get'`);
    if (!isDict(vars)) throw new Error(`Invalid data from file, expected dictionary and got:\n\n${pyStr(vars)}`);
    graph.addHost(host);
    for (const [k, v] of Object.entries(vars)) graph.setVariable(host, k, v);
  }
}

function parseScriptGroup(graph: InventoryGraph, group: string, raw: unknown, hosts: string[]): void {
  graph.addGroup(group);
  let data: Record<string, unknown>;
  if (!isDict(raw)) data = { hosts: raw };
  else if (!('hosts' in raw || 'vars' in raw || 'children' in raw)) data = { hosts: [group], vars: raw };
  else data = raw;
  if ('hosts' in data) {
    if (!Array.isArray(data.hosts)) {
      throw new Error(`You defined a group '${group}' with bad data for the host list:\n ${JSON.stringify(data)}`);
    }
    for (const name of data.hosts as unknown[]) {
      const host = String(name);
      if (!hosts.includes(host)) hosts.push(host);
      graph.addHost(host, group);
    }
  }
  if ('vars' in data) {
    if (!isDict(data.vars)) throw new Error(`You defined a group '${group}' with bad data for variables:\n ${JSON.stringify(data)}`);
    for (const [k, v] of Object.entries(data.vars)) graph.setVariable(group, k, v);
  }
  if (Array.isArray(data.children) || isDict(data.children)) {
    const children = Array.isArray(data.children) ? data.children : Object.keys(data.children);
    for (const child of children) {
      graph.addGroup(String(child));
      graph.addChild(group, String(child));
    }
  }
}

function hostVariables(file: string, host: string): unknown {
  const out = run(file, ['--host', host]).stdout;
  // Ansible compares bytes with '' here, so an empty answer reaches the loader as None
  // and fails the source; we keep that behaviour.
  if (out.trim() === '') return null;
  try {
    return JSON.parse(out);
  } catch {
    throw new Error(`could not parse post variable response: ['${file}', '--host', '${host}'], ${out}`);
  }
}
