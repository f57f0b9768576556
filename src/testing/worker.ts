// The process that runs one scenario. Each scenario gets its own process because its
// playbooks see its MOLECULE_* and ANSIBLE_* environment (lookup('env') reads the process's),
// as Molecule gives ansible-playbook; the parent gets step results over IPC.
import { runPlaybook } from '../api/run-playbook';
import { ExitCode } from '../errors';
import type { OutStream } from '../reporting';
import type { ScenarioRef } from './scenario/load';
import { ScenarioRun } from './scenario-run';
import { stepsOf } from './sequence';
import { destroyInstances, runSequence } from './steps';
import type { DestroyPolicy, ScenarioStatus, StepResult, TestCommand } from './types';

export interface WorkerRequest {
  scenario: ScenarioRef;
  command: TestCommand;
  destroy: DestroyPolicy;
  force: boolean;
  ansibleArgs: string[];
  color: boolean;
}

export type WorkerMessage =
  | { type: 'step'; result: StepResult }
  | { type: 'done'; status: ScenarioStatus; steps: StepResult[]; error?: string };

function stream(s: NodeJS.WriteStream, color: boolean): OutStream {
  // a parent that is gone closes the pipe: the run goes on to its destroy rather than crash on EPIPE
  s.on('error', () => undefined);
  return { write: (t: string) => void s.write(t), isTTY: color, columns: 100 };
}

function send(msg: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) resolve();
    else process.send(msg, undefined, {}, () => resolve());
  });
}

/** What stops a scenario's run early; each one destroys what the run created (unless --destroy=never). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function main(req: WorkerRequest): Promise<number> {
  const controller = new AbortController();
  let interrupted = false;
  let finished = false;
  let run: ScenarioRun | undefined;
  const steps: StepResult[] = [];
  const out = stream(process.stdout, req.color);
  const err = stream(process.stderr, req.color);

  const stop = (why: string) => {
    if (interrupted) return;
    interrupted = true;
    controller.abort();
    void (async () => {
      let status: ScenarioStatus = 'interrupted';
      if (run && req.destroy !== 'never') {
        out.write(`\n--> ${req.scenario.name}: ${why}; destroying what this run created\n`);
        try {
          await destroyInstances(run);
        } catch (e) {
          err.write(`destroy after the interrupt failed: ${(e as Error).message}\n`);
          status = 'failed';
        }
      } else if (run) {
        out.write(`\n--> ${req.scenario.name}: ${why}; instances kept (--destroy=never)\n`);
      }
      await send({ type: 'done', status, steps });
      process.exit(ExitCode.INTERRUPTED);
    })();
  };
  for (const sig of STOP_SIGNALS) process.on(sig, () => stop(sig === 'SIGINT' ? 'interrupted' : `stopped by ${sig}`));
  // the parent (tsible test) died without telling us: nobody else will clean up
  process.on('disconnect', () => {
    if (!finished) stop('tsible test is gone');
  });

  try {
    run = new ScenarioRun(req.scenario, {
      runPlaybook, out, err, color: req.color, ansibleArgs: req.ansibleArgs, destroy: req.command === 'reset' ? 'always' : req.destroy,
      force: req.force, signal: controller.signal, env: { ...process.env },
    });
    // lookup('env') and the local connection read this process's environment
    for (const [k, v] of Object.entries(run.env)) if (v !== undefined) process.env[k] = v;
    const sequence = stepsOf(req.command, run.loaded.config);
    const current = run;
    await runSequence(current, sequence, () => interrupted, (r) => {
      steps.push(r);
      void send({ type: 'step', result: r });
    });
    if (req.command === 'reset') current.prune();
  } catch (e) {
    if (interrupted) return new Promise<number>(() => undefined);
    finished = true;
    const message = e instanceof Error ? e.message : String(e);
    err.write(`ERROR! ${message}\n`);
    await send({ type: 'done', status: 'failed', steps, error: message });
    return 1;
  }
  // an interrupt handler is destroying and will exit
  if (interrupted) return new Promise<number>(() => undefined);
  const failed = steps.some((s) => s.status === 'failed');
  finished = true;
  await send({ type: 'done', status: failed ? 'failed' : 'passed', steps });
  return failed ? 1 : 0;
}

if (require.main === module) {
  const req = JSON.parse(process.argv[2] ?? '{}') as WorkerRequest;
  main(req).then(
    (code) => {
      process.exitCode = code;
      process.disconnect?.();
    },
    (e: unknown) => {
      process.stderr.write(`ERROR! Unexpected Exception, this is probably a bug: ${String(e)}\n`);
      process.exitCode = ExitCode.UNEXPECTED;
      process.disconnect?.();
    },
  );
}
