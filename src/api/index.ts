// The public programmatic surface of tsible.
export { runPlaybook, createInventory } from './run-playbook';
export type { RunOptions, RunResult, AnsibleConfig } from './types';
export { VERSION } from './version';
