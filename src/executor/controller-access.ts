// What modules may read on the controller for a task: files/templates/vars looked up
// the way Ansible does (role dirs, the task file's dir, the playbook dir), and templating.
import * as fs from 'fs';
import * as path from 'path';
import type { AnsibleConfig } from '../api/types';
import { isCallableConstant, SettingsReader } from '../config/settings';
import type { ControllerAccess } from '../modules/types';
import type { Play, Task } from '../playbook/model';
import type { LookupContext, TemplarApi } from '../template/types';
import type { Vault } from '../vault/secrets';
import { isVaultText } from '../vault/envelope';
import { TsibleError } from '../errors';

/** Directories searched for a task's relative paths, most specific first. */
export function searchDirs(task: Task | undefined, play: Play): string[] {
  const dirs: string[] = [];
  for (let r = task?.role; r; r = r.parent) dirs.push(r.path);
  if (task?.location) dirs.push(path.dirname(task.location.file));
  dirs.push(play.baseDir);
  return [...new Set(dirs)];
}

/** ansible_search_path as Ansible's Task.get_search_path: the role chain (innermost first), then the task file's dir. */
export function ansibleSearchPath(task: Task, play: Play): string[] {
  const dirs: string[] = [];
  for (let r = task.role; r; r = r.parent) dirs.push(r.path);
  const own = task.location ? path.dirname(task.location.file) : play.baseDir;
  for (const d of [own, play.baseDir]) if (!dirs.includes(d)) dirs.push(d);
  return dirs;
}

export function findControllerFile(dirs: string[], kind: string, rel: string): string | undefined {
  if (path.isAbsolute(rel)) return fs.existsSync(rel) ? rel : undefined;
  const expanded = rel.startsWith('~/') ? path.join(process.env.HOME ?? '/', rel.slice(2)) : rel;
  if (expanded !== rel) return fs.existsSync(expanded) ? expanded : undefined;
  for (const d of dirs) {
    for (const candidate of [path.join(d, kind, rel), path.join(d, rel)]) {
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface LookupRunAccess {
  config: AnsibleConfig;
  warn(message: string): void;
  vault?: Vault;
}

/** A controller file's text, decrypted when it is vault-encrypted (Ansible's DataLoader). */
function readControllerText(file: string, vault: Vault | undefined): string {
  const text = fs.readFileSync(file, 'utf8');
  if (!isVaultText(text)) return text;
  if (!vault?.secrets.length) throw new TsibleError('VAULT', `A vault password or secret must be specified to decrypt ${file}`, undefined, 1);
  return vault.decrypt(text, file).toString('utf8');
}

export function lookupContextFor(dirs: string[], hostnames: (pattern: string) => string[], run?: LookupRunAccess): LookupContext {
  let settings: SettingsReader | undefined;
  return {
    findFile: (kind, rel) => findControllerFile(dirs, kind, rel),
    baseDir: dirs[0] ?? process.cwd(),
    inventoryHostnames: hostnames,
    searchDirs: dirs,
    warn: run?.warn,
    readText: (file) => readControllerText(file, run?.vault),
    configSetting: run
      ? (name, vars, plugin) => {
          if (!plugin && isCallableConstant(name)) return { found: false, invalid: true };
          const r = (settings ??= new SettingsReader(run.config)).get(name, plugin, vars);
          return r.found ? r : { found: false, unknownPlugin: r.reason === 'unknown-plugin' };
        }
      : undefined,
  };
}

export function controllerAccess(
  dirs: string[], templar: TemplarApi, roleDir?: string, vault?: Vault, config?: AnsibleConfig, hostVar?: (name: string) => unknown,
): ControllerAccess {
  return {
    vault,
    setting: (name) => {
      if (!config) return undefined;
      const r = new SettingsReader(config).get(name);
      return r.found ? r.value : undefined;
    },
    shellOption: (name) => {
      if (!config) return undefined;
      const r = new SettingsReader(config).get(name, { type: 'shell', name: 'sh' }, hostVar);
      return r.found ? r.value : undefined;
    },
    findFile: (kind, rel) => findControllerFile(dirs, kind, rel),
    searchDirs: dirs,
    roleDir,
    renderTemplateFile: (absPath, options) => templar.renderFile(absPath, options),
    template: (value) => templar.template(value),
    evaluate: (expr) => templar.evaluateConditional(expr),
  };
}
