// Loads one scenario's molecule.yml as Molecule does: substitute the environment (MOLECULE_*
// kept for a second pass once the scenario's own variables are known), merge over the
// defaults, warn about unknown keys, normalise into a ScenarioConfig.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadYamlText } from '../../parsing/yaml';
import { interpolate, InterpolationError } from './envsubst';
import {
  DEFAULT_CONFIG_OPTIONS, DEFAULT_SEQUENCES, PLAYBOOK_NAMES, STEP_NAMES,
  type PlaybookName, type ScenarioConfig, type SequenceName, type StepName,
} from './model';
import { unknownKeys, unknownKeyWarning } from './schema';
import type { Platform } from '../drivers/types';

export class ScenarioError extends Error {}

/** Where a scenario lives: ROLE/molecule/NAME/molecule.yml. */
export interface ScenarioRef {
  /** The role (project) directory: MOLECULE_PROJECT_DIRECTORY. */
  projectDir: string;
  scenarioDir: string;
  name: string;
  file: string;
}

export interface LoadedScenario {
  ref: ScenarioRef;
  config: ScenarioConfig;
  ephemeralDir: string;
  /** The MOLECULE_* variables of this scenario. */
  moleculeEnv: Record<string, string>;
}

type Env = Readonly<Record<string, string | undefined>>;
type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Molecule's merge_dicts: mappings merge recursively, everything else is replaced. */
export function mergeDicts(a: Dict, b: Dict): Dict {
  const out: Dict = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isDict(prev) && isDict(v) ? mergeDicts(prev, v) : v;
  }
  return out;
}

/** The scenario's state and generated files: MOLECULE_EPHEMERAL_DIRECTORY or the user's cache. */
export function ephemeralDirectory(ref: ScenarioRef, env: Env): string {
  const fromEnv = env.MOLECULE_EPHEMERAL_DIRECTORY;
  if (fromEnv) return path.resolve(fromEnv);
  const cache = env.XDG_CACHE_HOME || path.join(env.HOME ?? os.homedir(), '.cache');
  const project = path.resolve(ref.projectDir);
  const hash = crypto.createHash('sha256').update(project).digest('hex').slice(0, 8);
  return path.join(cache, 'tsible', 'test', `${path.basename(project)}-${hash}`, ref.name);
}

function parse(text: string, file: string): Dict {
  const data = loadYamlText(text, file);
  if (data === null || data === undefined) return {};
  if (!isDict(data)) throw new ScenarioError(`${file}: expected a mapping at the top of molecule.yml`);
  return data;
}

function substitute(text: string, env: Env, file: string, keep?: string): string {
  try {
    return interpolate(text, env, keep);
  } catch (e) {
    if (e instanceof InterpolationError) throw new ScenarioError(`${file}:${e.line}: ${e.message}`);
    throw e;
  }
}

const str = (v: unknown, d: string): string => (typeof v === 'string' && v !== '' ? v : d);
const dict = (v: unknown): Dict => (isDict(v) ? v : {});
const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : typeof v === 'string' ? /^(yes|true|on|1)$/i.test(v) : d);

function stringEnv(v: unknown, baseDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(dict(v))) {
    let s = val === null || val === undefined ? '' : String(val);
    // Molecule makes the relative entries of Ansible's search paths absolute (from the scenario).
    if (/^ANSIBLE_(ROLES_PATH|LIBRARY|FILTER_PLUGINS|COLLECTIONS_PATHS?)$/.test(k)) {
      s = s.split(':').map((p) => (p && !path.isAbsolute(p) && !p.startsWith('~') ? path.resolve(baseDir, p) : p)).join(':');
    }
    out[k] = s;
  }
  return out;
}

function sequences(scenario: Dict, file: string, warn: (m: string) => void): Record<SequenceName, StepName[]> {
  const out = { ...DEFAULT_SEQUENCES };
  for (const name of Object.keys(DEFAULT_SEQUENCES) as SequenceName[]) {
    const v = scenario[`${name}_sequence`];
    if (v === undefined) continue;
    if (!Array.isArray(v)) throw new ScenarioError(`${file}: scenario.${name}_sequence must be a list of steps`);
    out[name] = v.map(String).filter((s): s is StepName => {
      if ((STEP_NAMES as readonly string[]).includes(s)) return true;
      warn(`${file}: scenario.${name}_sequence: unknown step '${s}' (known: ${STEP_NAMES.join(', ')}); it is skipped`);
      return false;
    });
  }
  return out;
}

function playbookPaths(ansible: Dict, provisioner: Dict, driverName: string, scenarioDir: string): Partial<Record<PlaybookName, string>> {
  const given = mergeDicts(dict(ansible.playbooks), dict(provisioner.playbooks));
  const byDriver = dict(given[driverName]);
  const out: Partial<Record<PlaybookName, string>> = {};
  for (const name of PLAYBOOK_NAMES) {
    const v = byDriver[name] ?? given[name];
    const candidate = typeof v === 'string' && v ? path.resolve(scenarioDir, v) : path.join(scenarioDir, `${name}.yml`);
    if (fs.existsSync(candidate)) out[name] = candidate;
    else if (typeof v === 'string' && v) throw new ScenarioError(`${path.join(scenarioDir, 'molecule.yml')}: playbooks.${name}: ${candidate} does not exist`);
  }
  // Molecule's older default converge playbook name
  if (!out.converge && fs.existsSync(path.join(scenarioDir, 'playbook.yml'))) out.converge = path.join(scenarioDir, 'playbook.yml');
  return out;
}

function platforms(v: unknown, file: string): Platform[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ScenarioError(`${file}: platforms must be a list`);
  return v.map((p, i) => {
    if (!isDict(p) || typeof p.name !== 'string' || !p.name) throw new ScenarioError(`${file}: platforms[${i}] needs a name`);
    return p as Platform;
  });
}

function normalise(data: Dict, ref: ScenarioRef, warn: (m: string) => void): ScenarioConfig {
  const file = ref.file;
  const driver = dict(data.driver);
  const driverOptions = dict(driver.options);
  const provisioner = dict(data.provisioner);
  const ansible = dict(data.ansible);
  const executorArgs = dict(dict(ansible.executor).args);
  const inventory = dict(provisioner.inventory);
  const verifier = dict(data.verifier);
  const dependency = dict(data.dependency);
  const driverName = str(driver.name, 'default');
  const configOptions = mergeDicts(DEFAULT_CONFIG_OPTIONS, mergeDicts(dict(ansible.cfg), dict(provisioner.config_options)));
  const ansibleArgs = provisioner.ansible_args ?? executorArgs.ansible_playbook ?? [];
  return {
    name: ref.name,
    driver: {
      name: driverName,
      managed: bool(driverOptions.managed, true),
      connectionOptions: dict(driverOptions.ansible_connection_options),
      loginCmdTemplate: typeof driverOptions.login_cmd_template === 'string' ? driverOptions.login_cmd_template : undefined,
    },
    platforms: platforms(data.platforms, file),
    provisioner: {
      env: { ...stringEnv(ansible.env, ref.scenarioDir), ...stringEnv(provisioner.env, ref.scenarioDir) },
      configOptions: configOptions as Record<string, Record<string, unknown>>,
      playbooks: playbookPaths(ansible, provisioner, driverName, ref.scenarioDir),
      options: dict(provisioner.options),
      ansibleArgs: Array.isArray(ansibleArgs) ? ansibleArgs.map(String) : [],
      connectionOptions: dict(provisioner.connection_options),
      inventory: {
        hosts: dict(inventory.hosts),
        hostVars: dict(inventory.host_vars),
        groupVars: dict(inventory.group_vars),
        links: Object.fromEntries(Object.entries(dict(inventory.links)).map(([k, v]) => [k, String(v)])),
      },
      log: bool(provisioner.log, true),
    },
    sequences: sequences(dict(data.scenario), file, warn),
    verifier: {
      name: str(verifier.name, 'ansible'),
      enabled: bool(verifier.enabled, true),
      env: stringEnv(verifier.env, ref.scenarioDir),
      options: dict(verifier.options),
    },
    dependency: {
      name: str(dependency.name, 'galaxy'),
      enabled: bool(dependency.enabled, true),
      options: dict(dependency.options),
      env: stringEnv(dependency.env, ref.scenarioDir),
    },
    raw: data,
  };
}

/** The MOLECULE_* variables Molecule exports to every playbook run of a scenario. */
function moleculeVariables(ref: ScenarioRef, eph: string, first: Dict): Record<string, string> {
  return {
    MOLECULE_DEBUG: 'False',
    MOLECULE_FILE: path.join(eph, 'molecule.yml'),
    MOLECULE_ENV_FILE: path.join(ref.projectDir, '.env.yml'),
    MOLECULE_STATE_FILE: path.join(eph, 'state.yml'),
    MOLECULE_INVENTORY_FILE: path.join(eph, 'inventory', 'ansible_inventory.yml'),
    MOLECULE_EPHEMERAL_DIRECTORY: eph,
    MOLECULE_SCENARIO_DIRECTORY: ref.scenarioDir,
    MOLECULE_PROJECT_DIRECTORY: ref.projectDir,
    MOLECULE_INSTANCE_CONFIG: path.join(eph, 'instance_config.yml'),
    MOLECULE_DEPENDENCY_NAME: str(dict(first.dependency).name, 'galaxy'),
    MOLECULE_DRIVER_NAME: str(dict(first.driver).name, 'default'),
    MOLECULE_PROVISIONER_NAME: str(dict(first.provisioner).name, 'ansible'),
    MOLECULE_SCENARIO_NAME: ref.name,
    MOLECULE_VERIFIER_NAME: str(dict(first.verifier).name, 'ansible'),
    MOLECULE_VERIFIER_TEST_DIRECTORY: path.join(ref.scenarioDir, 'tests'),
  };
}

/** Reads, substitutes, validates and normalises a scenario's molecule.yml. */
export function loadScenario(ref: ScenarioRef, env: Env, warn: (message: string) => void): LoadedScenario {
  let text: string;
  try {
    text = fs.readFileSync(ref.file, 'utf8');
  } catch (e) {
    throw new ScenarioError(`Could not read ${ref.file}: ${(e as Error).message}`);
  }
  const eph = ephemeralDirectory(ref, env);
  const first = parse(substitute(text, env, ref.file, 'MOLECULE_'), ref.file);
  const moleculeEnv = moleculeVariables(ref, eph, first);
  const fullEnv = { ...env, ...moleculeEnv };
  const second = substitute(text, fullEnv, ref.file);
  for (const k of unknownKeys(second, ref.file)) warn(unknownKeyWarning(k));
  const config = normalise(parse(second, ref.file), ref, warn);
  return { ref, config, ephemeralDir: eph, moleculeEnv };
}
