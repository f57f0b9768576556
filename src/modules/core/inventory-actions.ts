// add_host, group_by and set_stats: controller-only actions whose results ask the executor to
// change the in-memory inventory (add_host, add_group) or the custom stats (ansible_stats).
import type { ModuleDef, ModuleResult } from '../types';
import { isDict } from '../../template/pyvalues';

const HOST_KEYS = ['name', 'hostname', 'host'];
const GROUP_KEYS = ['groupname', 'groups', 'group'];
const NOT_VARS = new Set(['name', 'hostname', 'groupname', 'groups']);
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** name[:port] as Ansible's parse_address reads it (IPv6 in brackets keeps its colons). */
function splitHostPort(name: string): [string, number | undefined] {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(name);
  if (bracket) return [bracket[1] as string, bracket[2] ? Number(bracket[2]) : undefined];
  const m = /^([^:]+):(\d+)$/.exec(name);
  return m ? [m[1] as string, Number(m[2])] : [name, undefined];
}

export const addHostModule: ModuleDef = {
  name: 'add_host',
  spec: {},
  acceptsAnyArgs: true,
  controllerOnly: true,
  checkMode: true,
  async run(rawArgs): Promise<ModuleResult> {
    const { _raw_params: raw, ...rest } = rawArgs;
    if (raw !== undefined && !isDict(raw)) {
      return { failed: true, changed: false, msg: `Invalid raw parameters passed, requires a dictonary/mapping got a  ${typeof raw}` };
    }
    const args: Record<string, unknown> = { ...(isDict(raw) ? raw : {}), ...rest };
    const given = HOST_KEYS.map((k) => args[k]).find((v) => v !== undefined && v !== null);
    if (given === undefined) return { failed: true, changed: false, msg: 'name, host or hostname needs to be provided' };
    const [name, port] = splitHostPort(String(given));
    if (port !== undefined) args.ansible_ssh_port = port;
    const groupsArg = GROUP_KEYS.map((k) => args[k]).find((v) => v !== undefined && v !== null && v !== '');
    const groups: string[] = [];
    if (groupsArg !== undefined) {
      let list: unknown[];
      if (Array.isArray(groupsArg)) list = groupsArg;
      else if (typeof groupsArg === 'string') list = groupsArg.split(',');
      else return { failed: true, changed: false, msg: 'Groups must be specified as a list.' };
      for (const g of list) if (!groups.includes(String(g))) groups.push(String(g).trim());
    }
    const hostVars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) if (!NOT_VARS.has(k)) hostVars[k] = v;
    return { changed: false, add_host: { host_name: name, groups, host_vars: hostVars } };
  },
};

export const groupByModule: ModuleDef = {
  name: 'group_by',
  spec: { key: { type: 'raw' }, parents: { type: 'raw' } },
  controllerOnly: true,
  checkMode: true,
  async run(args): Promise<ModuleResult> {
    if (args.key === undefined || args.key === null) {
      return { failed: true, changed: false, msg: "the 'key' param is required when using group_by" };
    }
    const parentsArg = args.parents ?? ['all'];
    const parents = (Array.isArray(parentsArg) ? parentsArg : [parentsArg]).map((p) => String(p).replace(/ /g, '-'));
    return { changed: false, add_group: String(args.key).replace(/ /g, '-'), parent_groups: parents };
  },
};

function boolish(v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  return ['y', 'yes', 'on', '1', 'true', 't'].includes(String(v).toLowerCase());
}

export const setStatsModule: ModuleDef = {
  name: 'set_stats',
  spec: { data: { type: 'raw' }, per_host: { type: 'raw' }, aggregate: { type: 'raw' } },
  controllerOnly: true,
  checkMode: true,
  async run(args): Promise<ModuleResult> {
    const stats = { data: {} as Record<string, unknown>, per_host: boolish(args.per_host, false), aggregate: boolish(args.aggregate, true) };
    if (args.data !== undefined && args.data !== null) {
      if (!isDict(args.data)) return { failed: true, changed: false, msg: "The 'data' option needs to be a dictionary/hash" };
      for (const [k, v] of Object.entries(args.data)) {
        if (!VALID_NAME.test(k)) {
          return { failed: true, changed: false, msg: `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.` };
        }
        stats.data[k] = v;
      }
    }
    return { changed: false, ansible_stats: stats };
  },
};
