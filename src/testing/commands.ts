// The commands that need no worker: `list` (instances and their state per scenario) and
// `login HOST` (an interactive shell on an instance, through its driver).
import { spawnSync } from 'child_process';
import * as path from 'path';
import Table from 'cli-table3';
import { createDriver } from './drivers';
import type { TestIO } from './runner';
import { runScenarios, scenarioId } from './runner';
import { scenariosOf, selectScenarios } from './scenario/discover';
import { loadScenario, type LoadedScenario, type ScenarioRef } from './scenario/load';
import { StateFile } from './state';
import type { TestOptions, TestRunResult } from './types';

function load(ref: ScenarioRef, io: TestIO): LoadedScenario {
  return loadScenario(ref, io.env, (m) => io.err.write(`[WARNING]: ${m}\n`));
}

export function listInstances(opts: TestOptions, io: TestIO): TestRunResult {
  const refs = opts.scenario || !opts.roleDirs.length
    ? selectScenarios({ roleDirs: opts.roleDirs, scenario: opts.scenario, all: !opts.scenario }, opts.cwd)
    : opts.roleDirs.flatMap((d) => scenariosOf(path.resolve(opts.cwd, d)));
  const table = new Table({
    head: ['Instance Name', 'Driver Name', 'Provisioner Name', 'Scenario Name', 'Created', 'Converged'],
    style: { head: [], border: [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const ref of refs) {
    const s = load(ref, io);
    const state = new StateFile(s.ephemeralDir).state;
    for (const p of s.config.platforms) {
      table.push([p.name, state.driver ?? s.config.driver.name, 'ansible', scenarioId(ref), String(state.created).toLowerCase(), String(state.converged).toLowerCase()]);
    }
  }
  io.out.write(`${table.toString()}\n`);
  return { exitCode: 0, scenarios: [] };
}

export async function login(opts: TestOptions, io: TestIO): Promise<TestRunResult> {
  const refs = selectScenarios({ roleDirs: opts.roleDirs, scenario: opts.scenario, all: false }, opts.cwd);
  const ref = refs[0];
  if (!ref || refs.length > 1) throw new Error('login needs exactly one scenario (one role directory and -s NAME)');
  let s = load(ref, io);
  if (!new StateFile(s.ephemeralDir).state.created) {
    const created = await runScenarios({ ...opts, command: 'create', roleDirs: [ref.projectDir], scenario: ref.name, all: false, junitFile: undefined }, io);
    if (created.exitCode !== 0) return created;
    s = load(ref, io);
  }
  const state = new StateFile(s.ephemeralDir).state;
  const names = state.instances.map((i) => i.name);
  let host = opts.host;
  if (!host) {
    if (names.length !== 1) throw new Error(`There are ${names.length} running hosts. Please specify which with: tsible test login HOST\n\nAvailable hosts:\n${names.join('\n')}`);
    host = names[0];
  }
  const matches = names.filter((n) => n.startsWith(host ?? ''));
  const name = matches.includes(host ?? '') ? host : matches.length === 1 ? matches[0] : undefined;
  const instance = state.instances.find((i) => i.name === name);
  if (!instance) throw new Error(`Unable to find host '${host}' (hosts: ${names.join(', ')})`);
  const driver = createDriver(state.driver ?? s.config.driver.name, {
    managed: s.config.driver.managed,
    connectionOptions: s.config.driver.connectionOptions,
    loginCmdTemplate: s.config.driver.loginCmdTemplate,
    instanceConfigFile: path.join(s.ephemeralDir, 'instance_config.yml'),
    runLifecyclePlaybook: () => Promise.reject(new Error('login does not run playbooks')),
  });
  const argv = driver.loginCommand(instance, {
    runId: state.run_id ?? '', scenarioDir: ref.scenarioDir, ephemeralDir: s.ephemeralDir, log: (l) => io.out.write(`${l}\n`),
  });
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error(`the ${driver.name} driver has no login command`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: io.env as NodeJS.ProcessEnv });
  return { exitCode: r.status ?? 1, scenarios: [] };
}
