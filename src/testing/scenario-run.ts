// One scenario's run in this process: its environment, generated files (ansible.cfg,
// inventory, roles path), state, driver and provisioner. The steps live in steps.ts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import type { RunPlaybook } from '../api/types';
import type { OutStream } from '../reporting';
import { createDriver, type Driver, type DriverRun } from './drivers';
import { writeInventory } from './inventory';
import { Provisioner, writeAnsibleCfg, type PlaybookRequest, type PlaybookOutcome } from './provisioner';
import { roleNames } from './scenario/discover';
import { loadScenario, type LoadedScenario, type ScenarioRef } from './scenario/load';
import { PLATFORM_KEYS } from './scenario/schema';
import { StateFile } from './state';
import type { DestroyPolicy } from './types';

export interface ScenarioRunDeps {
  runPlaybook: RunPlaybook;
  out: OutStream;
  err: OutStream;
  color: boolean;
  ansibleArgs: string[];
  destroy: DestroyPolicy;
  force: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** The environment the run started with. */
  env: Record<string, string | undefined>;
}

export class ScenarioRun {
  readonly loaded: LoadedScenario;
  readonly state: StateFile;
  readonly provisioner: Provisioner;
  readonly driver: Driver;
  /** The environment of every playbook run: MOLECULE_*, ANSIBLE_CONFIG, roles path, provisioner.env. */
  readonly env: Record<string, string | undefined>;
  readonly rolesPath: string[];

  constructor(
    readonly ref: ScenarioRef,
    readonly deps: ScenarioRunDeps,
  ) {
    this.loaded = loadScenario(ref, deps.env, (m) => this.warn(m));
    const eph = this.loaded.ephemeralDir;
    this.state = new StateFile(eph);
    this.rolesPath = this.computeRolesPath();
    this.env = this.computeEnv();
    this.provisioner = new Provisioner(this.loaded, { ...deps, env: this.env });
    const cfg = this.loaded.config;
    const stateDriver = this.state.state.driver;
    if (stateDriver && stateDriver !== cfg.driver.name) {
      this.warn(`Instances were created with the '${stateDriver}' driver but molecule.yml now says '${cfg.driver.name}': run destroy (or reset) to change drivers`);
    }
    this.driver = createDriver(stateDriver ?? cfg.driver.name, {
      managed: cfg.driver.managed,
      connectionOptions: cfg.driver.connectionOptions,
      loginCmdTemplate: cfg.driver.loginCmdTemplate,
      instanceConfigFile: this.loaded.moleculeEnv.MOLECULE_INSTANCE_CONFIG ?? path.join(eph, 'instance_config.yml'),
      runLifecyclePlaybook: (step) => this.runLifecyclePlaybook(step),
    });
    this.warnUnusedPlatformKeys();
  }

  /** Platform keys Molecule knows but this driver does not read are ignored: say so. */
  private warnUnusedPlatformKeys(): void {
    const used = this.driver.platformKeys;
    if (!used) return;
    this.loaded.config.platforms.forEach((p, i) => {
      for (const key of Object.keys(p)) {
        if (PLATFORM_KEYS.includes(key) && !used.includes(key)) this.warn(`${this.ref.file}: platforms[${i}].${key} is not used by the ${this.driver.name} driver (ignored)`);
      }
    });
  }

  get name(): string {
    return this.ref.name;
  }

  log(line: string): void {
    this.deps.out.write(`${line}\n`);
  }

  warn(message: string): void {
    this.deps.err.write(`[WARNING]: ${message}\n`);
  }

  /** Molecule's roles path: the role under test first (under each of its names), then its siblings. */
  private computeRolesPath(): string[] {
    const env = this.deps.env;
    const split = (v: string | undefined) => (v ?? '').split(':').filter(Boolean);
    const home = env.HOME ?? os.homedir();
    const all = [
      path.join(this.loaded.ephemeralDir, 'roles'),
      path.dirname(path.resolve(this.ref.projectDir)),
      ...split(this.loaded.config.provisioner.env.ANSIBLE_ROLES_PATH),
      ...split(env.ANSIBLE_ROLES_PATH),
      path.join(home, '.ansible', 'roles'),
      '/usr/share/ansible/roles',
      '/etc/ansible/roles',
    ];
    return [...new Set(all)];
  }

  private computeEnv(): Record<string, string | undefined> {
    const cfg = this.loaded.config;
    const env: Record<string, string | undefined> = {
      ...this.deps.env,
      ...this.loaded.moleculeEnv,
      ANSIBLE_CONFIG: path.join(this.loaded.ephemeralDir, 'ansible.cfg'),
      ...cfg.provisioner.env,
      ANSIBLE_ROLES_PATH: this.rolesPath.join(':'),
    };
    if (this.deps.color) env.ANSIBLE_FORCE_COLOR = '1';
    return env;
  }

  /** The files every playbook run reads: merged molecule.yml, ansible.cfg, roles links, inventory. */
  writeRunFiles(): void {
    const eph = this.loaded.ephemeralDir;
    fs.mkdirSync(eph, { recursive: true });
    fs.writeFileSync(path.join(eph, 'molecule.yml'), `# molecule.yml after substitution, as tsible test read it\n${stringify(this.loaded.config.raw)}`);
    writeAnsibleCfg(path.join(eph, 'ansible.cfg'), this.loaded.config.provisioner.configOptions);
    const rolesDir = path.join(eph, 'roles');
    fs.mkdirSync(rolesDir, { recursive: true });
    for (const name of roleNames(this.ref.projectDir)) {
      const link = path.join(rolesDir, name);
      fs.rmSync(link, { force: true, recursive: false });
      fs.symlinkSync(path.resolve(this.ref.projectDir), link);
    }
    writeInventory(this.provisioner.inventoryDir, this.loaded.config.platforms, this.state.state.instances, this.loaded.config, this.ref.scenarioDir, this.env);
  }

  async runPlaybook(req: PlaybookRequest): Promise<PlaybookOutcome> {
    this.writeRunFiles();
    return this.provisioner.run(req);
  }

  private async runLifecyclePlaybook(step: 'create' | 'destroy'): Promise<boolean> {
    const playbook = this.loaded.config.provisioner.playbooks[step];
    if (!playbook) return false;
    const outcome = await this.runPlaybook({ playbook, step });
    if (outcome.exitCode !== 0) throw new Error(`${path.basename(playbook)} failed (exit code ${outcome.exitCode})`);
    return true;
  }

  driverRun(): DriverRun {
    const runId = this.state.state.run_id;
    if (!runId) throw new Error('internal: no run id before create');
    return {
      runId,
      scenarioDir: this.ref.scenarioDir,
      ephemeralDir: this.loaded.ephemeralDir,
      log: (line) => this.log(line),
      signal: this.deps.signal,
    };
  }

  /** Removes the scenario's generated files (after destroy): nothing is left behind. */
  prune(): void {
    fs.rmSync(this.loaded.ephemeralDir, { recursive: true, force: true });
    // the project's directory in the cache goes too once its last scenario is gone
    try {
      fs.rmdirSync(path.dirname(this.loaded.ephemeralDir));
    } catch {
      // other scenarios of the project still keep state there
    }
  }
}
