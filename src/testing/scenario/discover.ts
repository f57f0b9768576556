// Finds the scenarios to run (ROLE/molecule/<name>/molecule.yml) and the names the role under
// test answers to on the roles path: its directory name, meta's role_name, namespace.role_name.
import * as fs from 'fs';
import * as path from 'path';
import { loadYamlFile } from '../../parsing/yaml';
import { ScenarioError, type ScenarioRef } from './load';

export const DEFAULT_SCENARIO = 'default';

/** All scenarios of a role directory, sorted by name. */
export function scenariosOf(projectDir: string): ScenarioRef[] {
  const root = path.join(projectDir, 'molecule');
  let names: string[];
  try {
    names = fs.readdirSync(root).sort();
  } catch {
    return [];
  }
  return names
    .map((name) => ({ projectDir, scenarioDir: path.join(root, name), name, file: path.join(root, name, 'molecule.yml') }))
    .filter((s) => fs.existsSync(s.file));
}

export interface Selection {
  roleDirs: string[];
  /** -s NAME; undefined means "default" (or every scenario with `all`). */
  scenario?: string;
  all: boolean;
}

/** The scenarios a command line selects, in order; errors name the role and what is missing. */
export function selectScenarios(sel: Selection, cwd: string): ScenarioRef[] {
  const dirs = sel.roleDirs.length ? sel.roleDirs : [cwd];
  const out: ScenarioRef[] = [];
  for (const d of dirs) {
    const projectDir = path.resolve(cwd, d);
    if (!fs.existsSync(projectDir) || !fs.statSync(projectDir).isDirectory()) throw new ScenarioError(`${d}: not a directory`);
    const all = scenariosOf(projectDir);
    if (all.length === 0) throw new ScenarioError(`${projectDir}: no scenario found (expected molecule/<scenario>/molecule.yml)`);
    if (sel.all) {
      out.push(...all);
      continue;
    }
    const wanted = sel.scenario ?? DEFAULT_SCENARIO;
    const found = all.find((s) => s.name === wanted);
    if (!found) throw new ScenarioError(`${projectDir}: scenario '${wanted}' not found (there are: ${all.map((s) => s.name).join(', ')})`);
    out.push(found);
  }
  return out;
}

/** The names the role under test is known by: directory, role_name and namespace.role_name. */
export function roleNames(projectDir: string): string[] {
  const names = [path.basename(path.resolve(projectDir))];
  const meta = ['main.yml', 'main.yaml'].map((f) => path.join(projectDir, 'meta', f)).find((f) => fs.existsSync(f));
  if (meta) {
    const data = loadYamlFile(meta) as { galaxy_info?: { role_name?: unknown; namespace?: unknown } } | null;
    const info = data?.galaxy_info;
    const roleName = typeof info?.role_name === 'string' ? info.role_name : undefined;
    const namespace = typeof info?.namespace === 'string' ? info.namespace : undefined;
    if (roleName) names.push(roleName);
    if (roleName && namespace) names.push(`${namespace}.${roleName}`);
  }
  return [...new Set(names)];
}
