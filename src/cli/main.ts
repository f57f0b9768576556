#!/usr/bin/env node
// The tsible command: argv → RunOptions → runPlaybook(), printing errors as ansible-playbook does
// and exiting with its exit codes. Everything else lives behind the api.
import * as path from 'path';
import { loadExtraVars } from './extravars';
import { loadVaultSecrets, Vault } from '../vault/secrets';
import type { AnsibleConfig, RunPlaybook } from '../api/types';
import type { RunTests } from './test-main';
import { VERSION } from '../api/version';
import { loadConfig } from '../config';
import { formatError, TsibleError, ExitCode } from '../errors';
import { createReporter, Display, type OutStream } from '../reporting';
import { configBool } from '../config';
import { parseArgv } from './args';
import type { RawArgs } from './args';
import { buildRunOptions, checkPlaybooks, UsageError, type CliRun } from './options';
import { HELP, USAGE } from './usage';
import { testMain } from './test-main';

export { parseArgv } from './args';
export { buildRunOptions } from './options';

export interface CliDeps {
  runPlaybook: RunPlaybook;
  /** `tsible test` (resolved with the api at run time, like runPlaybook). */
  runTests?: RunTests;
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: OutStream;
  stderr: OutStream;
  /** Reads a secret from the terminal (undefined when stdin is not a TTY). */
  readSecret?: (prompt: string) => Promise<string>;
  /** Registers the Ctrl-C handler (process.once('SIGINT') in the real binary). */
  onInterrupt?: (handler: () => void) => void;
  /** Registers a handler for every Ctrl-C, SIGTERM and SIGHUP (`tsible test` cleans up instead of exiting). */
  onSignal?: (handler: () => void) => void;
  /** Ends the process at once (used by the interrupt handler). */
  exit?: (code: number) => void;
  /** Path of the running script, for --version. */
  executable?: string;
}

export function versionText(config: AnsibleConfig | undefined, executable: string): string {
  return [
    `tsible ${VERSION}`,
    `  config file = ${config?.configFile ?? 'None'}`,
    `  tsible module location = ${path.resolve(__dirname, '..')}`,
    `  executable location = ${executable}`,
    `  node version = ${process.version.replace(/^v/, '')} (${process.execPath})`,
    '',
  ].join('\n');
}

function safeConfig(deps: CliDeps): AnsibleConfig | undefined {
  try {
    return loadConfig(deps.env, deps.cwd);
  } catch {
    return undefined;
  }
}

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[], deps: CliDeps): Promise<number> {
  const { stdout, stderr } = deps;
  // loaded on demand: the Engine API client is not needed to run a playbook
  if (argv[0] === 'lab') return (await import('./lab-main')).labMain(argv.slice(1), deps);
  if (argv[0] === 'test' && argv[1] === 'image') return (await import('./image-main')).imageMain(argv.slice(2), deps);
  if (argv[0] === 'test') return testMain(argv.slice(1), deps);
  if (argv[0] === 'role') return (await import('./role-main')).roleMain(argv.slice(1), deps);
  const parsed = parseArgv(argv);
  if (parsed.kind === 'help') {
    stdout.write(HELP);
    return 0;
  }
  if (parsed.kind === 'version') {
    stdout.write(versionText(safeConfig(deps), deps.executable ?? 'tsible'));
    return 0;
  }
  if (parsed.kind === 'error') {
    stderr.write(`${USAGE}tsible: error: ${parsed.message}\n \n${HELP}`);
    return 2;
  }
  return runPlaybookCommand(parsed.args, deps);
}

/**
 * Runs parsed ansible-playbook arguments: config, reporter, prompts, runPlaybook and the error
 * display. `prepare` may rewrite the run options (`tsible role` puts its generated play there).
 */
export async function runPlaybookCommand(args: RawArgs, deps: CliDeps, prepare?: (run: CliRun) => void): Promise<number> {
  const { stdout, stderr } = deps;
  const verbosity = typeof args.values.verbosity === 'number' ? args.values.verbosity : 0;
  const colorWanted = (config?: AnsibleConfig): boolean => {
    if (deps.env.ANSIBLE_FORCE_COLOR !== undefined && configBool(deps.env.ANSIBLE_FORCE_COLOR)) return true;
    return stdout.isTTY && !(config?.noColor ?? false);
  };
  let display = new Display({ out: stdout, err: stderr, verbosity, color: colorWanted() });
  try {
    const config = loadConfig(deps.env, deps.cwd);
    display = new Display({ out: stdout, err: stderr, verbosity, color: colorWanted(config) });
    const run = buildRunOptions(args, config, deps.env, deps.cwd);
    prepare?.(run);
    const reporter = createReporter(run.callback, {
      out: stdout,
      err: stderr,
      verbosity,
      color: colorWanted(config),
      displayOkHosts: config.displayOkHosts,
      displaySkippedHosts: config.displaySkippedHosts,
      showCustomStats: config.showCustomStats,
    }, { names: config.callbacksEnabled, env: deps.env, cfg: config.raw });
    deps.onInterrupt?.(() => {
      display.error('User interrupted execution', true);
      deps.exit?.(ExitCode.INTERRUPTED);
    });
    if (verbosity >= 2) display.display(versionText(config, deps.executable ?? 'tsible').replace(/\n$/, ''));
    if (verbosity >= 1) display.display(config.configFile ? `Using ${config.configFile} as config file` : 'No config file found; using defaults');
    checkPlaybooks(run.options.playbooks.filter((p) => run.options.inlinePlaybooks?.[p] === undefined), deps.cwd);
    if (run.askBecomePass || run.askPass) {
      if (!deps.readSecret) throw new TsibleError('BAD_OPTION', 'a password prompt (-k/-K) needs a terminal on stdin', undefined, ExitCode.ERROR);
      // Ansible passes these as connection passwords; extra vars have the same (highest) precedence here.
      if (run.askPass) run.options.extraVars.push({ ansible_password: await deps.readSecret('SSH password: ') });
      if (run.askBecomePass) {
        const prompt = run.askPass ? 'BECOME password[defaults to SSH password]: ' : 'BECOME password: ';
        run.options.extraVars.push({ ansible_become_password: await deps.readSecret(prompt) });
      }
    }
    const needsPrompt = run.vaultSources.some((s) => s.source.startsWith('prompt'));
    if (needsPrompt && !deps.readSecret) throw new TsibleError('BAD_OPTION', 'a vault password prompt needs a terminal on stdin', undefined, ExitCode.ERROR);
    const secrets = await loadVaultSecrets(run.vaultSources, deps.cwd, deps.readSecret);
    run.options.vault = new Vault(secrets, run.vaultIdMatch);
    for (const x of run.vaultedExtraVars) run.options.extraVars[x.index] = loadExtraVars(x.value, deps.cwd, run.options.vault);
    const result = await deps.runPlaybook(run.options, reporter);
    // --syntax-check / --list-hosts / --list-tasks / --list-tags print their listing instead of running
    if (result.listing) stdout.write(result.listing);
    return result.exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      stderr.write(`${USAGE}tsible: error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TsibleError) {
      display.error(formatError(e));
      return e.exitCode;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    display.error(`Unexpected Exception, this is probably a bug: ${err.message}`);
    if (verbosity > 2) display.display(`the full traceback was:\n\n${err.stack ?? err.message}`);
    else display.display('to see the full traceback, use -vvv');
    return ExitCode.UNEXPECTED;
  }
}

/** Reads a line from the terminal without echoing it. */
function readSecretFromTty(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    let input = '';
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode?.(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(input);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode?.(false);
          reject(new TsibleError('INTERRUPTED', 'User interrupted execution'));
          return;
        }
        if (ch === '\u007f') input = input.slice(0, -1);
        else input += ch;
      }
    };
    stdin.on('data', onData);
  });
}

function streamOf(s: NodeJS.WriteStream): OutStream {
  return {
    write: (text: string) => void s.write(text),
    get isTTY() {
      return s.isTTY === true;
    },
    get columns() {
      return s.columns;
    },
  };
}

// this file is the program (bundled into dist/cli/main.js, `module` is the bundle's wrapper, not the entry)
if (require.main?.filename === __filename) {
  let runPlaybook: RunPlaybook;
  let runTests: RunTests;
  try {
    // resolved at run time so the CLI builds before the api exists
    ({ runPlaybook, runTests } = require('../api') as { runPlaybook: RunPlaybook; runTests: RunTests });
  } catch (e) {
    runPlaybook = () => Promise.reject(e);
    runTests = () => Promise.reject(e);
  }
  main(process.argv.slice(2), {
    runPlaybook,
    runTests,
    env: process.env,
    cwd: process.cwd(),
    stdout: streamOf(process.stdout),
    stderr: streamOf(process.stderr),
    readSecret: process.stdin.isTTY ? readSecretFromTty : undefined,
    onInterrupt: (handler) => process.once('SIGINT', handler),
    onSignal: (handler) => {
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, handler);
    },
    exit: (code) => process.exit(code),
    executable: process.argv[1],
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`ERROR! Unexpected Exception, this is probably a bug: ${String(e)}\n`);
      process.exitCode = ExitCode.UNEXPECTED;
    },
  );
}
