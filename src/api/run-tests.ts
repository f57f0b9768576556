// runTests(): the programmatic `tsible test` (the CLI's `test` subcommand calls it). Each
// scenario runs its playbooks through runPlaybook() and is judged from structured results.
import { listInstances, login } from '../testing/commands';
import { runScenarios, type TestIO } from '../testing/runner';
import type { TestOptions, TestRunResult } from '../testing/types';

export type { TestIO } from '../testing/runner';
export type { TestOptions, TestRunResult, ScenarioResult, StepResult, TestCommand } from '../testing/types';

export async function runTests(options: TestOptions, io: TestIO): Promise<TestRunResult> {
  if (options.command === 'list') return listInstances(options, io);
  if (options.command === 'login') return login(options, io);
  return runScenarios(options, io);
}
