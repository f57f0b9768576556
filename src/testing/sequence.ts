// Which steps a `tsible test` command runs: the scenario's sequences as data (Molecule's
// test_sequence, converge_sequence, ...), or a single step.
import type { ScenarioConfig, StepName } from './scenario/model';
import type { TestCommand } from './types';

export function stepsOf(command: TestCommand, config: ScenarioConfig): StepName[] {
  switch (command) {
    case 'test':
    case 'check':
    case 'converge':
    case 'create':
    case 'destroy':
    case 'cleanup':
      return config.sequences[command];
    case 'side-effect':
      return ['side_effect'];
    case 'prepare':
    case 'idempotence':
    case 'verify':
    case 'syntax':
    case 'dependency':
      return [command];
    case 'reset':
      return ['destroy'];
    case 'login':
    case 'list':
      return [];
  }
}
