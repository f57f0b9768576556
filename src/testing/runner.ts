// `tsible test`: selects the scenarios, runs each in its own worker process (N at a time),
// keeps each one's output, forwards Ctrl-C so every scenario destroys what it created,
// then prints the summary table and writes the JUnit report.
import { fork, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ExitCode } from '../errors';
import type { OutStream } from '../reporting';
import { writeJunit } from './report/junit';
import { summaryTable } from './report/summary';
import { selectScenarios } from './scenario/discover';
import type { ScenarioRef } from './scenario/load';
import type { ScenarioResult, StepResult, TestOptions, TestRunResult } from './types';
import type { WorkerMessage, WorkerRequest } from './worker';

export interface TestIO {
  out: OutStream;
  err: OutStream;
  env: Record<string, string | undefined>;
  /** Registers the handler of Ctrl-C, SIGTERM and SIGHUP (the CLI's process.on). */
  onInterrupt?: (handler: () => void) => void;
}

/** The worker's entry: compiled JavaScript, or the TypeScript source under ts-node (tests). */
function workerEntry(): { file: string; execArgv: string[] } {
  // dist/testing/worker.js, also from the bundled CLI (whose __dirname is dist/cli)
  const js = path.join(__dirname, '..', 'testing', 'worker.js');
  if (fs.existsSync(js)) return { file: js, execArgv: [] };
  return { file: path.join(__dirname, 'worker.ts'), execArgv: ['-r', 'ts-node/register/transpile-only'] };
}

export function scenarioId(ref: ScenarioRef): string {
  return `${path.basename(ref.projectDir)}/${ref.name}`;
}

interface Running {
  child: ChildProcess;
  done: Promise<ScenarioResult>;
}

/** Starts a scenario's worker; resolves with its result once the worker has exited. */
function startWorker(ref: ScenarioRef, opts: TestOptions, io: TestIO, live: boolean): Running {
  const { file, execArgv } = workerEntry();
  const req: WorkerRequest = {
    scenario: ref, command: opts.command, destroy: opts.destroy, force: opts.force, ansibleArgs: opts.ansibleArgs, color: opts.color,
  };
  const started = Date.now();
  // detached: a worker is its own process group, so its leftovers can be ended with it
  const child = fork(file, [JSON.stringify(req)], {
    cwd: opts.cwd, env: io.env as NodeJS.ProcessEnv, execArgv, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const steps: StepResult[] = [];
  let final: Extract<WorkerMessage, { type: 'done' }> | undefined;
  child.stdout?.on('data', (b: Buffer) => {
    output += b.toString();
    if (live) io.out.write(b.toString());
  });
  child.stderr?.on('data', (b: Buffer) => {
    output += b.toString();
    if (live) io.err.write(b.toString());
  });
  child.on('message', (m: WorkerMessage) => {
    if (m.type === 'step') steps.push(m.result);
    else final = m;
  });
  const done = new Promise<ScenarioResult>((resolve) => {
    child.on('close', (code) => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
      const status = final?.status ?? (code === 0 ? 'passed' : 'failed');
      resolve({
        id: scenarioId(ref), role: path.basename(ref.projectDir), scenario: ref.name, scenarioDir: ref.scenarioDir,
        status, steps: final?.steps.length ? final.steps : steps, seconds: (Date.now() - started) / 1000, output,
        error: final?.error ?? (final ? undefined : `the scenario's process ended with code ${code ?? 'null'}`),
      });
    });
  });
  return { child, done };
}

/** Runs the selected scenarios of a command (all but list and login), N at a time. */
export async function runScenarios(opts: TestOptions, io: TestIO): Promise<TestRunResult> {
  const refs = selectScenarios({ roleDirs: opts.roleDirs, scenario: opts.scenario, all: opts.all }, opts.cwd);
  const jobs = Math.max(1, Math.min(opts.jobs, refs.length));
  const live = jobs === 1;
  const running = new Set<Running>();
  const results: ScenarioResult[] = [];
  let interrupted = false;
  io.onInterrupt?.(() => {
    if (!interrupted) io.err.write(`\nInterrupted: every running scenario destroys what it created${opts.destroy === 'never' ? ' (not: --destroy=never)' : ''}...\n`);
    interrupted = true;
    for (const r of running) r.child.kill('SIGINT');
  });
  const queue = [...refs];
  const next = async (): Promise<void> => {
    for (let ref = queue.shift(); ref && !interrupted; ref = queue.shift()) {
      if (!live) io.out.write(`--> ${scenarioId(ref)}: started\n`);
      const r = startWorker(ref, opts, io, live);
      running.add(r);
      const result = await r.done;
      running.delete(r);
      results.push(result);
      if (!live) io.out.write(`\n===== ${result.id}: ${result.status} in ${result.seconds.toFixed(1)}s =====\n${result.output}\n`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, next));
  // in the order the scenarios were given
  results.sort((a, b) => refs.findIndex((r) => scenarioId(r) === a.id) - refs.findIndex((r) => scenarioId(r) === b.id));
  if (results.length) io.out.write(`\n${summaryTable(results)}\n`);
  if (opts.junitFile) writeJunit(path.resolve(opts.cwd, opts.junitFile), results);
  const exitCode = interrupted || results.some((r) => r.status === 'interrupted') ? ExitCode.INTERRUPTED : results.some((r) => r.status !== 'passed') ? 1 : 0;
  return { exitCode, scenarios: results };
}
