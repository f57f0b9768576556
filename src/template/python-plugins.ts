// Python filter, test and lookup plugins a playbook ships (filter_plugins/, test_plugins/,
// lookup_plugins/ beside playbooks and in roles, and the configured plugin paths): run on the
// controller in a python3 child process, as Ansible would run them; opt-in by their presence.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TemplateError } from '../errors';
import { pyJsonLoads } from './filters/json-parse';
import type { FilterFn, LookupFn, TestFn } from './plugin-types';
import type { PluginRegistry } from './plugins';
import { isDict, isUndefined, pyJsonDumps } from './pyvalues';
import { raiseUndefined } from './pyops';
import { PYTHON_PLUGIN_HOST } from './python-plugin-host';

export type PythonPluginKind = 'filter' | 'test' | 'lookup';

/** The directory names Ansible's plugin loaders look for beside a playbook or in a role. */
const SUBDIRS: Record<PythonPluginKind, string> = { filter: 'filter_plugins', test: 'test_plugins', lookup: 'lookup_plugins' };

interface HostReply {
  ok: boolean;
  value?: unknown;
  type?: string;
  msg?: string;
}

/** Values as the plugin receives them: JSON, with undefined values raising as Jinja would. */
function toJson(value: unknown): string {
  const check = (v: unknown): void => {
    if (isUndefined(v)) raiseUndefined(v);
    if (Array.isArray(v)) v.forEach(check);
    else if (isDict(v)) Object.values(v).forEach(check);
  };
  check(value);
  return pyJsonDumps(value, { ensureAscii: false });
}

/** Registers the Python plugins found in directories into a run's plugin registry. */
export class PythonPlugins {
  private readonly seenDirs = new Set<string>();
  /** kind:name of the plugins registered so far. */
  private readonly claimed = new Set<string>();

  constructor(
    private readonly registry: PluginRegistry,
    /** The system's python3 first (where a packaged ansible-core is importable), else python3 on PATH. */
    private readonly python = isFile('/usr/bin/python3') ? '/usr/bin/python3' : 'python3',
  ) {}

  /** Ansible's add_all_plugin_dirs: the filter_plugins/, test_plugins/ and lookup_plugins/ of a directory. */
  addPluginDirs(base: string): void {
    for (const kind of Object.keys(SUBDIRS) as PythonPluginKind[]) this.addDir(kind, path.join(base, SUBDIRS[kind]));
  }

  /** A configured plugin path (ANSIBLE_FILTER_PLUGINS...): the directory and its subdirectories two levels down. */
  addConfiguredPath(kind: PythonPluginKind, dir: string): void {
    const abs = path.resolve(dir.replace(/^~(?=$|\/)/, process.env.HOME ?? '~'));
    const subdirs = (d: string): string[] => {
      try {
        return fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => path.join(d, e.name)).filter(isDir);
      } catch {
        return [];
      }
    };
    for (const d of [...subdirs(abs), ...subdirs(abs).flatMap(subdirs), abs]) this.addDir(kind, d);
  }

  private addDir(kind: PythonPluginKind, dir: string): void {
    const key = `${kind}:${dir}`;
    if (this.seenDirs.has(key) || !isDir(dir)) return;
    this.seenDirs.add(key);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.py') && f !== '__init__.py' && !f.startsWith('_')).sort().map((f) => path.join(dir, f));
    if (!files.length) return;
    if (kind === 'lookup') {
      for (const file of files) this.registerLookup(path.basename(file, '.py'), file);
      return;
    }
    // filter and test files name their functions: ask Python once per directory
    const reply = this.call({ op: 'list', kind, files });
    const listing = (reply.ok && isDict(reply.value) ? reply.value : {}) as Record<string, unknown>;
    for (const file of files) {
      const names = listing[file];
      if (!Array.isArray(names)) continue;
      for (const name of names) {
        if (kind === 'filter') this.registerFilter(String(name), file);
        else this.registerTest(String(name), file);
      }
    }
  }

  /** Plugins found first win, as in Ansible's loader (playbook and role plugins come before configured ones). */
  private claim(key: string): boolean {
    if (this.claimed.has(key)) return false;
    this.claimed.add(key);
    return true;
  }

  private registerFilter(name: string, file: string): void {
    if (!this.claim(`filter:${name}`)) return;
    const fn: FilterFn = (_ctx, value, args, kwargs) => this.result(this.call({ op: 'filter', file, name, value, args, kwargs }), name);
    this.registry.filters[name] = fn;
  }

  private registerTest(name: string, file: string): void {
    if (!this.claim(`test:${name}`)) return;
    const fn: TestFn = (_ctx, value, args, kwargs) => Boolean(this.result(this.call({ op: 'test', file, name, value, args, kwargs }), name));
    this.registry.tests[name] = fn;
  }

  private registerLookup(name: string, file: string): void {
    if (!this.claim(`lookup:${name}`)) return;
    // the lookup's `variables` are not passed (Python would need every variable serialised)
    const fn: LookupFn = (_ctx, terms, kwargs) => this.result(this.call({ op: 'lookup', file, name, terms, kwargs }), name) as unknown[];
    this.registry.lookups[name] = fn;
  }

  private result(reply: HostReply, name: string): unknown {
    if (reply.ok) return reply.value;
    const msg = reply.msg ?? 'no reply';
    // AnsibleError and its kinds keep their text; anything else names the Python exception
    if (reply.type && /^Ansible\w*Error$/.test(reply.type)) throw new TemplateError(msg);
    throw new TemplateError(`${name}: ${reply.type ?? 'Error'}: ${msg}`);
  }

  private call(request: Record<string, unknown>): HostReply {
    const input = toJson(request);
    // no __pycache__ written beside the playbook's plugin files
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
    const r = spawnSync(this.python, ['-c', PYTHON_PLUGIN_HOST], { input, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error) return { ok: false, type: 'OSError', msg: `cannot run ${this.python} for Python plugins: ${r.error.message}` };
    const out = r.stdout.trim().split('\n').pop() ?? '';
    try {
      return pyJsonLoads(out) as HostReply;
    } catch {
      return { ok: false, type: 'RuntimeError', msg: `the Python plugin host failed: ${(r.stderr || out).trim()}` };
    }
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
