// runPlaybook(): loads inventory and playbooks, then runs the plays; the CLI is a thin
// layer over this. Returns ansible-playbook's exit code.
import * as crypto from 'crypto';
import { PythonLibrary } from '../modules/python-library';
import { SettingsReader } from '../config/settings';
import { factCacheFromSettings, type FactCache } from '../vars/fact-cache';
import * as fs from 'fs';
import * as path from 'path';
import { ConnectionPool } from '../connection/pool';
import { ExitCode, TsibleError } from '../errors';
import type { RunContext } from '../executor/context';
import { runPlay } from '../executor/play-runner';
import { StatsCollector } from '../executor/stats';
import { loadInventory, type Inventory } from '../inventory';
import { defaultRegistry } from '../modules/registry';
import { loadYamlFile } from '../parsing/yaml';
import { LoaderContext, loadPlaybook } from '../playbook/loader';
import type { Playbook } from '../playbook/model';
import type { Reporter } from '../reporting/types';
import { Templar, type TemplarShared } from '../template/templar';
import { loadPlugins, type PluginRegistry } from '../template/plugins';
import { PythonPlugins, type PythonPluginKind } from '../template/python-plugins';
import type { TemplarOptions } from '../template/types';
import { VariableManager } from '../vars/manager';
import { listPlaybook } from './listing';
import type { RunOptions, RunResult } from './types';
import { AsyncJobs } from '../executor/async-task';
import { VERSION } from './version';

/** Reads one answer line from stdin per question (for --step). */
function stdinPrompt(): (question: string) => Promise<string> {
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = '';
  let ended = false;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  process.stdin.on('end', () => {
    ended = true;
    for (const w of waiters.splice(0)) w('');
  });
  return (question) => {
    process.stdout.write(question);
    const ready = lines.shift();
    if (ready !== undefined || ended) return Promise.resolve(ready ?? '');
    return new Promise((resolve) => waiters.push(resolve));
  };
}

export function createInventory(options: RunOptions, playbookDir: string | undefined, reporter: Reporter): Inventory {
  const sources = options.inventories.length ? options.inventories : options.config.inventory.length ? options.config.inventory : ['/etc/ansible/hosts'];
  const inventory = loadInventory(sources, {
    cwd: process.cwd(),
    playbookDir,
    loadYaml: (f) => loadYamlFile(f, { vault: options.vault }),
    warn: (m) => reporter.onWarning?.(m),
  });
  if (options.limit?.length) {
    const before = inventory.resolvePattern('all', { ignoreLimits: true }).length;
    inventory.applyLimit(options.limit);
    // as ansible-playbook: a non-empty inventory limited to nothing is an error (exit 1)
    if (before > 0 && inventory.resolvePattern('all').length === 0) {
      throw new TsibleError('INVENTORY', 'Specified inventory, host pattern and/or --limit leaves us with no hosts to target.');
    }
  }
  return inventory;
}

/** An executable's path from PATH, as `command -v` would find it (no process spawned). */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** library/ beside each playbook, then DEFAULT_MODULE_PATH (ANSIBLE_LIBRARY); roles add theirs as they load. */
function pythonLibraryOf(options: RunOptions): PythonLibrary {
  const r = new SettingsReader(options.config).get('DEFAULT_MODULE_PATH');
  const configured = r.found && Array.isArray(r.value) ? r.value.map(String) : [];
  return new PythonLibrary([...options.playbooks.map((p) => path.join(path.dirname(path.resolve(p)), 'library')), ...configured]);
}

/** Python filter/test/lookup plugins: beside each playbook, then the configured plugin paths; roles add theirs as they load. */
function pythonPluginsOf(options: RunOptions, plugins: PluginRegistry): PythonPlugins {
  const python = new PythonPlugins(plugins);
  for (const p of options.playbooks) python.addPluginDirs(path.dirname(path.resolve(p)));
  const settings = new SettingsReader(options.config);
  const configured: [PythonPluginKind, string][] = [['filter', 'DEFAULT_FILTER_PLUGIN_PATH'], ['test', 'DEFAULT_TEST_PLUGIN_PATH'], ['lookup', 'DEFAULT_LOOKUP_PLUGIN_PATH']];
  for (const [kind, name] of configured) {
    const r = settings.get(name);
    if (r.found && Array.isArray(r.value)) for (const dir of r.value) python.addConfiguredPath(kind, String(dir));
  }
  return python;
}

function factCacheOf(options: RunOptions): FactCache | undefined {
  const settings = new SettingsReader(options.config);
  const setting = (name: string): unknown => {
    const r = settings.get(name);
    return r.found ? r.value : undefined;
  };
  return factCacheFromSettings(setting('CACHE_PLUGIN'), setting('CACHE_PLUGIN_CONNECTION'), setting('CACHE_PLUGIN_PREFIX'), setting('CACHE_PLUGIN_TIMEOUT'));
}

function mergedExtraVars(options: RunOptions): Record<string, unknown> {
  return Object.assign({}, ...options.extraVars);
}

export async function runPlaybook(options: RunOptions, reporter: Reporter): Promise<RunResult> {
  const registry = defaultRegistry();
  const library = pythonLibraryOf(options);
  registry.addProvider(library.provider());
  const extraVars = mergedExtraVars(options);
  const omitToken = `__omit_place_holder__${crypto.randomBytes(20).toString('hex')}`;
  const plugins = loadPlugins();
  const pythonPlugins = pythonPluginsOf(options, plugins);
  const parseCache: TemplarShared['cache'] = new Map();
  const makeTemplar = (vars: Record<string, unknown>, opts: Partial<TemplarOptions> = {}) => {
    const full: TemplarOptions = { omitToken, ansibleManaged: options.config.ansibleManaged, ...opts };
    return new Templar(vars, full, { options: full, plugins, cache: parseCache });
  };
  const loader = new LoaderContext({
    registry,
    library,
    pythonPlugins,
    rolesPath: options.config.rolesPath,
    templateStatic: (value, extra) => String(makeTemplar({ ...extra, ...extraVars }).template(value)),
    yaml: { duplicateKeys: options.config.duplicateYamlDictKey, warn: (m) => reporter.onWarning?.(m), vault: options.vault },
    inline: options.inlinePlaybooks,
  });
  const playbooks: Playbook[] = options.playbooks.map((p) => loadPlaybook(loader, p));
  const firstDir = playbooks[0] ? path.dirname(playbooks[0].file) : process.cwd();
  const inventory = createInventory(options, firstDir, reporter);
  if (options.syntaxCheck || options.listHosts || options.listTasks || options.listTags) {
    return { exitCode: ExitCode.OK, listing: listPlaybook(playbooks, inventory, options, makeTemplar) };
  }
  const vars = new VariableManager(inventory, extraVars, {
    playbookDir: firstDir,
    checkMode: options.check,
    diffMode: options.diff,
    verbosity: options.verbosity,
    runTags: options.tags,
    skipTags: options.skipTags,
    omitToken,
    forks: options.forks,
    inventorySources: options.inventories,
    configFile: options.config.configFile,
    version: VERSION,
    playbookPython: findOnPath('python3'),
    connection: options.connection,
    timeout: options.timeout ?? options.config.timeout,
  });
  vars.templarFactory = (v) => makeTemplar(v);
  vars.factCache = factCacheOf(options);
  // --flush-cache: every inventory host starts without cached facts
  if (options.flushCache) for (const h of inventory.resolvePattern('all', { ignoreLimits: true })) vars.clearFacts(h.name);
  const ctx: RunContext = {
    options, reporter, inventory, registry, loader, vars,
    stats: new StatsCollector(),
    connections: new ConnectionPool({ warn: (m) => reporter.onWarning?.(m) }),
    asyncJobs: new AsyncJobs(),
    omitToken,
    lookups: plugins.lookups,
    templar: makeTemplar,
    failedHosts: new Set(),
    unreachableHosts: new Set(),
    interrupted: false,
    startAtTask: options.startAtTask,
    prompt: options.step ? stdinPrompt() : undefined,
  };
  const onSigint = () => {
    ctx.interrupted = true;
    // before the CLI's own handler exits: every open connection says goodbye to its host
    void ctx.connections.closeAll();
  };
  process.prependListener('SIGINT', onSigint);
  let anyFatal = false;
  try {
    for (const [index, pb] of playbooks.entries()) {
      // -vv shows "N plays in PATH", the path as given on the command line
      reporter.onPlaybookStart?.(options.playbooks[index] ?? pb.file, pb.plays.length);
      for (const play of pb.plays) {
        // import_playbook's `when` does not skip the play: Ansible applies it to each task.
        const r = await runPlay(ctx, play);
        for (const h of r.failed) ctx.failedHosts.add(h);
        for (const h of r.unreachable) ctx.unreachableHosts.add(h);
        if (r.anyErrorsFatal) {
          anyFatal = true;
          break;
        }
        if (r.endPlaybook) break;
      }
      if (anyFatal) break;
    }
  } finally {
    if (options.step) process.stdin.pause();
    process.off('SIGINT', onSigint);
    // async jobs still running end with the run (Ansible's would run on, detached on the target)
    ctx.asyncJobs.close();
    await ctx.connections.closeAll();
  }
  reporter.onPlaybookEnd?.(ctx.stats.snapshot());
  if (ctx.unreachableHosts.size) return { exitCode: ExitCode.HOST_UNREACHABLE };
  if (ctx.failedHosts.size || anyFatal) return { exitCode: ExitCode.HOST_FAILED };
  return { exitCode: ExitCode.OK };
}

export { TsibleError };
