// The public programmatic surface of tsible.
export { runPlaybook, createInventory } from './run-playbook';
export type { RunOptions, RunResult, AnsibleConfig } from './types';
export { VERSION } from './version';
import type { runTests as RunTestsFn } from './run-tests';

/** tsible test (the harness loads only when it is used: a playbook run starts sooner). */
export const runTests: typeof RunTestsFn = (...args) => (require('./run-tests') as typeof import('./run-tests')).runTests(...args);
export type { TestOptions, TestRunResult, ScenarioResult, StepResult, TestCommand, TestIO } from './run-tests';
