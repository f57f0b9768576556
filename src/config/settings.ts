// Any ansible-core setting by its name (DEFAULT_FORKS, COLOR_OK...) or a plugin option
// (connection ssh's port), read as Ansible's config manager does: variables, then the
// environment, then ansible.cfg, then the default; typed with its ensure_type rules.
import * as os from 'os';
import * as path from 'path';
import type { AnsibleConfig } from '../api/types';
import { ANSIBLE_SETTINGS } from './ansible-settings';
import { configBool, resolvePath } from './index';

export interface SettingDef {
  type?: string;
  default?: unknown;
  env?: readonly string[];
  vars?: readonly string[];
  keyword?: readonly string[];
  ini?: readonly (readonly [string, string])[];
  choices?: readonly unknown[];
}

export interface SettingsTable {
  base: Record<string, SettingDef>;
  /** "connection.ssh" → option name → definition. */
  plugins: Record<string, Record<string, SettingDef>>;
}

type Env = Record<string, string | undefined>;

export type SettingLookup = { found: true; value: unknown } | { found: false; reason: 'unknown-setting' | 'unknown-plugin' };

/** Names on ansible.constants that are functions or classes, not settings. */
const CONSTANTS_CALLABLES = new Set(['ConfigManager', 'set_constant', 'to_text', 'ensure_type', 'Sequence', 'AnsibleOptionsError', 'Template']);

export function isCallableConstant(name: string): boolean {
  return CONSTANTS_CALLABLES.has(name);
}

export class SettingsReader {
  private readonly home: string;
  constructor(
    private readonly config: AnsibleConfig,
    private readonly env: Env = process.env,
    private readonly cwd = process.cwd(),
  ) {
    this.home = env.HOME ?? os.homedir();
  }

  /** A base setting; `vars` lets plugin options come from host variables. */
  get(name: string, plugin?: { type: string; name: string }, vars?: (name: string) => unknown): SettingLookup {
    let def: SettingDef | undefined;
    if (plugin) {
      const options = ANSIBLE_SETTINGS.plugins[`${plugin.type}.${plugin.name}`];
      if (!options) return { found: false, reason: 'unknown-plugin' };
      def = Object.prototype.hasOwnProperty.call(options, name) ? options[name] : undefined;
    } else def = Object.prototype.hasOwnProperty.call(ANSIBLE_SETTINGS.base, name) ? ANSIBLE_SETTINGS.base[name] : undefined;
    if (!def) return { found: false, reason: 'unknown-setting' };
    return { found: true, value: this.value(def, vars) };
  }

  private value(def: SettingDef, vars?: (name: string) => unknown): unknown {
    const basedirOfFile = this.config.configFile ? path.dirname(this.config.configFile) : this.cwd;
    if (vars) {
      let fromVars: unknown;
      for (const v of def.vars ?? []) {
        const x = vars(v);
        if (x !== undefined) fromVars = x;
      }
      if (fromVars !== undefined) return this.ensureType(fromVars, def.type, this.cwd);
    }
    let raw: { value: unknown; basedir: string } | undefined;
    for (const e of def.env ?? []) if (this.env[e] !== undefined) raw = { value: this.env[e], basedir: this.cwd };
    if (!raw) {
      for (const [section, key] of def.ini ?? []) {
        const v = this.config.raw[`${section}.${key.toLowerCase()}`];
        if (v !== undefined) raw = { value: v, basedir: basedirOfFile };
      }
    }
    if (!raw) raw = { value: this.templatedDefault(def.default), basedir: this.cwd };
    return this.ensureType(raw.value, def.type, raw.basedir);
  }

  /** Defaults written as `{{ ANSIBLE_HOME ~ "/suffix" }}`. */
  private templatedDefault(v: unknown): unknown {
    if (typeof v !== 'string') return v;
    const m = /^\{\{\s*(\w+)\s*~\s*"([^"]*)"\s*\}\}$/.exec(v);
    if (!m) return v;
    const ref = this.get(m[1]!);
    return ref.found ? `${String(ref.value)}${m[2]}` : v;
  }

  private ensureType(value: unknown, type: string | undefined, basedir: string): unknown {
    if (value === null || value === undefined) return null;
    const resolve = (p: string) => resolvePath(p, basedir, this.env, this.home);
    switch (type) {
      case 'boolean':
      case 'bool':
        return typeof value === 'boolean' ? value : configBool(String(value));
      case 'integer':
      case 'int': {
        const n = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
        return Number.isNaN(n) ? value : Math.trunc(n);
      }
      case 'float':
        return typeof value === 'number' ? value : Number.parseFloat(String(value));
      case 'list':
        return typeof value === 'string' ? value.split(',').map((x) => x.trim()) : value;
      case 'path':
      case 'tmppath':
      case 'temppath':
        return resolve(String(value));
      case 'pathspec':
        return (Array.isArray(value) ? value : String(value).split(':')).map((p) => resolve(String(p)));
      case 'pathlist':
        return (Array.isArray(value) ? value : String(value).split(',')).map((p) => resolve(String(p).trim()));
      case 'none':
        return value === 'None' ? null : value;
      default:
        return value;
    }
  }
}
