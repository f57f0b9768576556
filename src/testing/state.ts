// A scenario's state on disk (EPHEMERAL/state.yml, as Molecule keeps it) so that create,
// converge, verify and destroy can run in separate invocations.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { loadYamlFile } from '../parsing/yaml';
import type { Instance } from './drivers/types';

export interface ScenarioState {
  created: boolean;
  prepared: boolean;
  converged: boolean;
  /** The driver the instances were created with. */
  driver: string | null;
  /** Prefix of everything the driver created (containers, network, volumes). */
  run_id: string | null;
  /** How the engine reaches each created instance (for the inventory, list and login). */
  instances: Instance[];
  molecule_yml_date_modified: number | null;
}

const EMPTY: ScenarioState = {
  created: false, prepared: false, converged: false, driver: null, run_id: null, instances: [], molecule_yml_date_modified: null,
};

export class StateFile {
  readonly file: string;
  private data: ScenarioState;

  constructor(ephemeralDir: string) {
    this.file = path.join(ephemeralDir, 'state.yml');
    this.data = StateFile.read(this.file);
  }

  static read(file: string): ScenarioState {
    if (!fs.existsSync(file)) return { ...EMPTY, instances: [] };
    const loaded = loadYamlFile(file);
    return { ...EMPTY, instances: [], ...(typeof loaded === 'object' && loaded !== null ? (loaded as Partial<ScenarioState>) : {}) };
  }

  get state(): Readonly<ScenarioState> {
    return this.data;
  }

  update(change: Partial<ScenarioState>): void {
    this.data = { ...this.data, ...change };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `# tsible test state of this scenario\n${stringify(this.data)}`);
    fs.renameSync(tmp, this.file);
  }

  /** After destroy: nothing exists any more. */
  reset(): void {
    this.update({ ...EMPTY, instances: [], molecule_yml_date_modified: this.data.molecule_yml_date_modified });
  }
}

/** A name-safe, unique prefix for what one scenario creates: tsible-test-<scenario>-<random>. */
export function newRunId(scenario: string): string {
  const safe = scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 20) || 'scenario';
  return `tsible-test-${safe}-${crypto.randomBytes(4).toString('hex')}`;
}
