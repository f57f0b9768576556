// Role lookup (roles/ beside the playbook, roles_path, the playbook dir) and role
// loading: defaults, vars, meta dependencies, handlers; tasks are loaded by the caller.
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError, type SourceLocation } from '../errors';
import { isDict } from '../template/pyvalues';
import type { RoleInstance } from './model';

/** Keys of a role entry in `roles:` that are keywords, not role params. */
export const ROLE_ENTRY_KEYWORDS = new Set([
  'role', 'name', 'when', 'tags', 'vars', 'become', 'become_user', 'become_method', 'become_flags', 'remote_user',
  'connection', 'environment', 'ignore_errors', 'ignore_unreachable', 'no_log', 'check_mode', 'diff', 'delegate_to',
  'delegate_facts', 'run_once', 'any_errors_fatal', 'collections', 'port', 'timeout', 'throttle', 'debugger',
  'module_defaults',
]);

export interface RoleSearch {
  playbookDir: string;
  rolesPath: string[];
}

export function findRoleDir(name: string, search: RoleSearch, loc?: SourceLocation): string {
  const candidates: string[] = [];
  const names = [name];
  const parts = name.split('.');
  if (parts.length > 1 && !name.includes('/')) names.push(parts[parts.length - 1] as string);
  for (const n of names) {
    if (path.isAbsolute(n)) candidates.push(n);
    candidates.push(path.join(search.playbookDir, 'roles', n));
    for (const rp of search.rolesPath) candidates.push(path.resolve(search.playbookDir, rp, n));
    candidates.push(path.join(search.playbookDir, n));
  }
  for (const c of candidates) if (fs.existsSync(c) && fs.statSync(c).isDirectory()) return c;
  const searched = [path.join(search.playbookDir, 'roles'), ...search.rolesPath, search.playbookDir].join(':');
  throw new TsibleError(
    'MISSING_ROLE',
    `the role '${name}' was not found in ${searched}`,
    loc,
  );
}

/** The main file of a role subdirectory: main.yml, main.yaml, main (or a named file). */
export function roleFile(roleDir: string, sub: string, base = 'main'): string | undefined {
  const exts = base.match(/\.ya?ml$|\.json$/) ? [''] : ['.yml', '.yaml', '.json', ''];
  for (const ext of exts) {
    const p = path.join(roleDir, sub, base + ext);
    if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  }
  return undefined;
}

export interface RoleEntry {
  name: string;
  params: Record<string, unknown>;
  keywords: Record<string, unknown>;
}

export function parseRoleEntry(entry: unknown, loc?: SourceLocation): RoleEntry {
  if (typeof entry === 'string') return { name: entry, params: {}, keywords: {} };
  if (!isDict(entry)) throw new TsibleError('PARSE', 'role definitions must contain a role name', loc);
  const name = entry.role ?? entry.name;
  if (typeof name !== 'string') throw new TsibleError('PARSE', 'role definitions must contain a role name', loc);
  const params: Record<string, unknown> = {};
  const keywords: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'role' || k === 'name') continue;
    if (ROLE_ENTRY_KEYWORDS.has(k)) keywords[k] = v;
    else params[k] = v;
  }
  if (isDict(keywords.vars)) Object.assign(params, keywords.vars);
  return { name, params, keywords };
}

export interface RoleFiles {
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  meta: Record<string, unknown>;
}

export function readRoleFiles(
  roleDir: string,
  load: (file: string) => unknown,
  from: { defaults?: string; vars?: string } = {},
): RoleFiles {
  const read = (sub: string, base?: string): Record<string, unknown> => {
    const f = roleFile(roleDir, sub, base);
    if (!f) return {};
    const data = load(f);
    if (data === null || data === undefined) return {};
    if (!isDict(data)) throw new TsibleError('PARSE', `${f} must contain a dictionary of variables`);
    return data;
  };
  return { defaults: read('defaults', from.defaults), vars: read('vars', from.vars), meta: read('meta') };
}

export function newRoleInstance(name: string, roleDir: string, files: RoleFiles, params: Record<string, unknown>): RoleInstance {
  return {
    // a role given by path keeps that path as its name (banners show it), as in Ansible
    name: name.includes('/') ? name : name.split('.').pop() ?? name,
    path: roleDir,
    defaults: files.defaults,
    vars: files.vars,
    params,
    dependencies: [],
    handlers: [],
    publicVars: true,
  };
}
