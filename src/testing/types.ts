// Public types of the harness: the commands, the options of a run and what it reports back
// per scenario and per step (structured, for the summary table, JUnit and API users).
import type { ChangedTask, FailedTask } from './results';

export const TEST_COMMANDS = [
  'test', 'create', 'prepare', 'converge', 'idempotence', 'verify', 'side-effect', 'cleanup', 'destroy', 'check',
  'syntax', 'dependency', 'reset', 'login', 'list',
] as const;
export type TestCommand = (typeof TEST_COMMANDS)[number];

export type DestroyPolicy = 'always' | 'never';

export interface TestOptions {
  command: TestCommand;
  /** Role directories; empty means the current directory. */
  roleDirs: string[];
  scenario?: string;
  all: boolean;
  destroy: DestroyPolicy;
  /** Scenarios run at once (-j N). */
  jobs: number;
  /** prepare again even when already prepared. */
  force: boolean;
  /** Arguments after `--`, given to the playbook runs. */
  ansibleArgs: string[];
  /** login: the instance name. */
  host?: string;
  junitFile?: string;
  color: boolean;
  cwd: string;
}

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepResult {
  step: string;
  status: StepStatus;
  seconds: number;
  /** Why it was skipped or what failed, in one line. */
  message?: string;
  /** Tasks that changed on the second converge (idempotence). */
  changed?: ChangedTask[];
  /** Failed tasks (converge, verify...). */
  failures?: FailedTask[];
}

export type ScenarioStatus = 'passed' | 'failed' | 'interrupted';

export interface ScenarioResult {
  /** role/scenario */
  id: string;
  role: string;
  scenario: string;
  scenarioDir: string;
  status: ScenarioStatus;
  steps: StepResult[];
  seconds: number;
  /** Everything the scenario printed (its playbook runs and the harness's lines). */
  output: string;
  /** Why it failed, when it failed outside a step (bad molecule.yml...). */
  error?: string;
}

export interface TestRunResult {
  exitCode: number;
  scenarios: ScenarioResult[];
}
