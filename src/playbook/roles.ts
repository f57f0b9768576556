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

/**
 * The files a role subdirectory provides under `base` (main when unset), in Ansible's search
 * order: main.yml, main.yaml, main.json, main; a given name is tried bare first. With allowDir a
 * directory of that name yields its files (sorted, recursively, hidden and backup files left out);
 * a file outside the subdirectory (an absolute or ../ name) is an error, as in Ansible.
 */
export function roleFiles(roleDir: string, sub: string, base?: string, opts: { allowDir?: boolean; roleName?: string } = {}): string[] {
  const subDir = path.join(roleDir, sub);
  const exts = base === undefined ? ['.yml', '.yaml', '.json', ''] : ['', '.yml', '.yaml', '.json'];
  const stem = path.resolve(subDir, base ?? 'main');
  let found: string[] = [];
  for (const ext of exts) {
    const p = stem + ext;
    if (!fs.existsSync(p)) continue;
    if (fs.statSync(p).isDirectory()) {
      if (!opts.allowDir) continue;
      found = dirVarsFiles(p, exts);
    } else found = [p];
    break;
  }
  for (const f of found) {
    const rel = path.relative(subDir, f);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new TsibleError('PARSE', `Failed loading '${f}' for role (${opts.roleName ?? path.basename(roleDir)}) as it is not inside the expected role path: '${subDir}'`);
    }
  }
  return found;
}

function dirVarsFiles(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = path.join(dir, name);
    const ext = path.extname(name);
    const st = fs.statSync(full);
    if (st.isDirectory() && !ext) out.push(...dirVarsFiles(full, exts));
    else if (st.isFile() && (!ext || exts.includes(ext))) out.push(full);
  }
  return out;
}

/** The one file of a role subdirectory (tasks, handlers, meta): see roleFiles. */
export function roleFile(roleDir: string, sub: string, base?: string, roleName?: string): string | undefined {
  return roleFiles(roleDir, sub, base, { roleName })[0];
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
  // vars and defaults may be a directory of files, merged in name order (empty files add nothing)
  const read = (sub: string, base?: string): Record<string, unknown> => {
    let data: unknown;
    for (const f of roleFiles(roleDir, sub, base, { allowDir: sub !== 'meta' })) {
      const d = load(f);
      if (d === null || d === undefined) continue;
      if (!isDict(d)) throw new TsibleError('PARSE', `${f} must contain a dictionary of variables`);
      data = isDict(data) ? { ...data, ...d } : d;
      if (sub === 'meta') break;
    }
    return isDict(data) ? data : {};
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
