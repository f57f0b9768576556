// The public programmatic surface of tsible.
export { runPlaybook, createInventory } from './run-playbook';
export type { RunOptions, RunResult, AnsibleConfig } from './types';
export { VERSION } from './version';
export { runTests } from './run-tests';
export type { TestOptions, TestRunResult, ScenarioResult, StepResult, TestCommand, TestIO } from './run-tests';
