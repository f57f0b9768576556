// The dependency step. Galaxy with no requirements file does nothing; with one, there is no
// network to Ansible Galaxy here, so it checks that every required role is already on the
// roles path (and every collection installed) and names the missing ones.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadYamlFile } from '../parsing/yaml';
import type { LoadedScenario } from './scenario/load';

export interface DependencyOutcome {
  status: 'passed' | 'failed' | 'skipped';
  message: string;
}

type Dict = Record<string, unknown>;

/** A role requirement's installed name: `name`, else the src's last part (ansible-galaxy's rule). */
function requirementName(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry.split(',')[0]?.trim();
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Dict;
  if (typeof e.name === 'string') return e.name;
  if (typeof e.role === 'string') return e.role;
  if (typeof e.src !== 'string') return undefined;
  const base = e.src.replace(/[?#].*$/, '').replace(/\/$/, '').split(/[/:]/).pop() ?? e.src;
  return base.replace(/\.(git|tar\.gz|tgz)$/, '').replace(/,.*$/, '');
}

function requirementsFile(scenario: LoadedScenario): string | undefined {
  const opt = scenario.config.dependency.options['requirements-file'] ?? scenario.config.dependency.options.requirements_file;
  const candidates = typeof opt === 'string' ? [path.resolve(scenario.ref.scenarioDir, opt)] : [path.join(scenario.ref.scenarioDir, 'requirements.yml'), path.join(scenario.ref.scenarioDir, 'collections.yml')];
  return candidates.find((f) => fs.existsSync(f));
}

function collectionPaths(env: Record<string, string | undefined>): string[] {
  const fromEnv = (env.ANSIBLE_COLLECTIONS_PATH ?? env.ANSIBLE_COLLECTIONS_PATHS ?? '').split(':').filter(Boolean);
  return [...fromEnv, path.join(env.HOME ?? os.homedir(), '.ansible', 'collections'), '/usr/share/ansible/collections', '/usr/lib/python3/dist-packages'];
}

function collectionInstalled(name: string, paths: string[]): boolean {
  const [ns, coll] = name.split('.');
  if (!ns || !coll) return false;
  return paths.some((p) => fs.existsSync(path.join(p, 'ansible_collections', ns, coll)) || fs.existsSync(path.join(p, ns, coll)));
}

function galaxy(scenario: LoadedScenario, rolesPath: string[], env: Record<string, string | undefined>): DependencyOutcome {
  const file = requirementsFile(scenario);
  if (!file) return { status: 'skipped', message: 'Skipping, missing the requirements file.' };
  const data = loadYamlFile(file);
  const roles: unknown[] = Array.isArray(data) ? data : Array.isArray((data as Dict | null)?.roles) ? ((data as Dict).roles as unknown[]) : [];
  const collections: unknown[] = !Array.isArray(data) && Array.isArray((data as Dict | null)?.collections) ? ((data as Dict).collections as unknown[]) : [];
  const missingRoles = roles
    .map(requirementName)
    .filter((n): n is string => !!n)
    .filter((n) => !rolesPath.some((dir) => fs.existsSync(path.join(dir, n))));
  const cpaths = collectionPaths(env);
  const missingCollections = collections
    .map((c) => (typeof c === 'string' ? c : typeof c === 'object' && c !== null ? String((c as Dict).name ?? '') : ''))
    .filter((n) => n && !n.includes('/') && !collectionInstalled(n, cpaths));
  if (!missingRoles.length && !missingCollections.length) {
    return { status: 'passed', message: `Every requirement of ${file} is already installed (no download needed).` };
  }
  const parts = [`${file} asks for what is not installed, and there is no network access to Ansible Galaxy here:`];
  if (missingRoles.length) parts.push(`  roles missing from the roles path (${rolesPath.join(':')}): ${missingRoles.join(', ')}`);
  if (missingCollections.length) parts.push(`  collections not installed: ${missingCollections.join(', ')}`);
  parts.push('  Put them in one of those directories (e.g. a git checkout named after the role) and run again.');
  return { status: 'failed', message: parts.join('\n') };
}

function shell(scenario: LoadedScenario, env: Record<string, string | undefined>): DependencyOutcome {
  const command = scenario.config.raw.dependency && (scenario.config.raw.dependency as Dict).command;
  if (typeof command !== 'string' || !command) return { status: 'failed', message: "dependency 'shell' needs a command" };
  const r = spawnSync('/bin/sh', ['-c', command], { cwd: scenario.ref.projectDir, env: { ...env, ...scenario.config.dependency.env }, encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  return r.status === 0 ? { status: 'passed', message: out || `ran: ${command}` } : { status: 'failed', message: `${command} exited ${r.status}${out ? `:\n${out}` : ''}` };
}

export function resolveDependencies(scenario: LoadedScenario, rolesPath: string[], env: Record<string, string | undefined>): DependencyOutcome {
  const dep = scenario.config.dependency;
  if (!dep.enabled) return { status: 'skipped', message: 'Skipping, dependency is disabled.' };
  if (dep.name === 'galaxy') return galaxy(scenario, rolesPath, env);
  if (dep.name === 'shell') return shell(scenario, env);
  return { status: 'failed', message: `dependency '${dep.name}' is not supported (galaxy, shell)` };
}
