// The steps of a sequence (create, prepare, converge, idempotence, verify, ...), each judged
// from structured results, and the sequence runner with Molecule's destroy-on-failure rule.
import * as path from 'path';
import { formatError, TsibleError } from '../errors';
import { resolveDependencies } from './dependency';
import { failureReport, idempotenceReport } from './report/failures';
import type { PlaybookOutcome } from './provisioner';
import type { ScenarioRun } from './scenario-run';
import type { PlaybookName, StepName } from './scenario/model';
import { newRunId } from './state';
import type { StepResult } from './types';

type Outcome = Omit<StepResult, 'step' | 'seconds'>;

const skipped = (message: string): Outcome => ({ status: 'skipped', message });
const passed = (message?: string): Outcome => ({ status: 'passed', message });
const failed = (message: string): Outcome => ({ status: 'failed', message });

/** Judges a playbook run: failed tasks are named; a non-zero exit without failed tasks too. */
function judge(run: ScenarioRun, step: string, o: PlaybookOutcome): Outcome {
  if (o.exitCode === 0) return passed();
  if (o.results.failed.length) {
    const report = failureReport(step, o.results.failed);
    return { status: 'failed', message: report, failures: o.results.failed };
  }
  return failed(`${step} failed (exit code ${o.exitCode})`);
}

async function playbookStep(run: ScenarioRun, step: StepName, name: PlaybookName): Promise<Outcome> {
  const playbook = run.loaded.config.provisioner.playbooks[name];
  if (!playbook) return skipped(`Skipping, no ${name}.yml playbook in the scenario.`);
  return judge(run, step, await run.runPlaybook({ playbook, step }));
}

class StepError extends Error {}

function converge(run: ScenarioRun): string {
  const playbook = run.loaded.config.provisioner.playbooks.converge;
  if (!playbook) throw new StepError(`no converge playbook: ${path.join(run.ref.scenarioDir, 'converge.yml')} does not exist`);
  return playbook;
}

const STEPS: Record<StepName, (run: ScenarioRun) => Promise<Outcome>> = {
  async dependency(run) {
    return resolveDependencies(run.loaded, run.rolesPath, run.env);
  },

  async create(run) {
    const cfg = run.loaded.config;
    run.state.update({ driver: run.state.state.driver ?? cfg.driver.name });
    if (run.state.state.created) return skipped('Skipping, instances already created.');
    // The run id is on disk before anything exists, so an interrupted create can be undone.
    if (!run.state.state.run_id) run.state.update({ run_id: newRunId(run.name) });
    run.writeRunFiles();
    const instances = await run.driver.create(cfg.platforms, run.driverRun());
    run.state.update({ created: true, instances });
    run.writeRunFiles();
    // the run id names (and labels) everything the driver made: what to look for if it stays
    return passed(`${instances.length} instance(s) of run ${run.state.state.run_id ?? ''}: ${instances.map((i) => i.name).join(', ')}`);
  },

  async prepare(run) {
    if (run.state.state.prepared && !run.deps.force) return skipped('Skipping, instances already prepared.');
    const outcome = await playbookStep(run, 'prepare', 'prepare');
    if (outcome.status === 'passed') run.state.update({ prepared: true });
    return outcome;
  },

  async converge(run) {
    const outcome = judge(run, 'converge', await run.runPlaybook({ playbook: converge(run), step: 'converge' }));
    if (outcome.status === 'passed') run.state.update({ converged: true });
    return outcome;
  },

  async idempotence(run) {
    if (!run.state.state.converged) return failed('Instances not converged. Please converge instances first.');
    const o = await run.runPlaybook({ playbook: converge(run), step: 'idempotence', collectDiffs: true });
    const judged = judge(run, 'idempotence', o);
    if (judged.status === 'failed') return judged;
    if (o.results.changed.length) {
      const report = idempotenceReport(o.results.changed, run.deps.color);
      return { status: 'failed', message: report, changed: o.results.changed };
    }
    return passed('Idempotence completed successfully.');
  },

  side_effect: (run) => playbookStep(run, 'side_effect', 'side_effect'),

  async verify(run) {
    if (!run.loaded.config.verifier.enabled) return skipped('Skipping, verifier is disabled.');
    if (run.loaded.config.verifier.name !== 'ansible') return failed(`verifier '${run.loaded.config.verifier.name}' is not supported (ansible)`);
    // the verifier's own environment applies to the verify playbook
    const saved = { ...process.env };
    Object.assign(process.env, run.loaded.config.verifier.env);
    try {
      return await playbookStep(run, 'verify', 'verify');
    } finally {
      for (const k of Object.keys(run.loaded.config.verifier.env)) if (saved[k] === undefined) delete process.env[k];
      Object.assign(process.env, saved);
    }
  },

  cleanup: (run) => playbookStep(run, 'cleanup', 'cleanup'),

  async destroy(run) {
    if (run.deps.destroy === 'never') return skipped("Skipping, '--destroy=never' requested.");
    await destroyInstances(run);
    return passed();
  },

  async syntax(run) {
    return judge(run, 'syntax', await run.runPlaybook({ playbook: converge(run), step: 'syntax', syntaxCheck: true }));
  },

  async check(run) {
    return judge(run, 'check', await run.runPlaybook({ playbook: converge(run), step: 'check', check: true }));
  },

  async lint() {
    return skipped('Skipping, lint is not part of the sequence any more (run your linters yourself).');
  },
};

/** Removes what the driver created for this scenario and forgets the state. */
export async function destroyInstances(run: ScenarioRun): Promise<void> {
  const s = run.state.state;
  if (s.run_id || s.created || run.loaded.config.driver.name === 'default' || run.loaded.config.driver.name === 'delegated') {
    if (!s.run_id) run.state.update({ run_id: newRunId(run.name) });
    run.writeRunFiles();
    await run.driver.destroy(run.loaded.config.platforms, run.driverRun());
  }
  run.state.reset();
  run.prune();
}

function describeError(e: unknown): string {
  if (e instanceof TsibleError) return formatError(e);
  return e instanceof Error ? e.message : String(e);
}

/** Runs one step, timing it and turning exceptions into a failed result. */
export async function runStep(run: ScenarioRun, step: StepName): Promise<StepResult> {
  const started = Date.now();
  run.log(`\n--> ${run.ref.name} ➜ ${step}`);
  let outcome: Outcome;
  try {
    outcome = await STEPS[step](run);
  } catch (e) {
    outcome = failed(`${step} failed: ${describeError(e)}`);
  }
  if (outcome.message) run.log(outcome.message);
  return { step, ...outcome, seconds: (Date.now() - started) / 1000 };
}

/**
 * Runs the steps in order. On a failure, when the sequence destroys and --destroy is not
 * never, cleanup and destroy still run (Molecule's rule) before the failure is reported.
 */
export async function runSequence(
  run: ScenarioRun,
  steps: readonly StepName[],
  aborted: () => boolean,
  onStep: (r: StepResult) => void,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const one = async (step: StepName): Promise<StepResult> => {
    const r = await runStep(run, step);
    // a step that ends after Ctrl-C is not reported: the interrupt handler reports the run
    if (!aborted()) {
      results.push(r);
      onStep(r);
    }
    return r;
  };
  for (const step of steps) {
    if (aborted()) break;
    const r = await one(step);
    if (r.status !== 'failed') continue;
    if (steps.includes('destroy') && run.deps.destroy !== 'never' && !aborted()) {
      run.log(`An error occurred during the ${step} step. Cleaning up.`);
      await one('cleanup');
      await one('destroy');
    }
    break;
  }
  return results;
}
