// The `tsible test` subcommand: argv → TestOptions → runTests(), exit code 0 when every
// scenario passed, 1 when one failed, 2 for a bad command line, 99 when interrupted.
import { ExitCode } from '../errors';
import type { TestIO } from '../testing/runner';
import type { TestOptions, TestRunResult } from '../testing/types';
import type { CliDeps } from './main';
import { parseTestArgv, TEST_HELP, TestUsageError } from './test-args';

export type RunTests = (options: TestOptions, io: TestIO) => Promise<TestRunResult>;

export async function testMain(argv: string[], deps: CliDeps): Promise<number> {
  const { stdout, stderr } = deps;
  try {
    const color = deps.env.ANSIBLE_FORCE_COLOR !== undefined || (stdout.isTTY && !deps.env.NO_COLOR && !deps.env.ANSIBLE_NOCOLOR);
    const parsed = parseTestArgv(argv, deps.cwd, color);
    if (parsed.kind === 'help') {
      stdout.write(TEST_HELP);
      return 0;
    }
    if (!deps.runTests) throw new Error('tsible test is not available in this build');
    const result = await deps.runTests(parsed.options, {
      out: stdout,
      err: stderr,
      env: deps.env,
      onInterrupt: deps.onSignal,
    });
    return result.exitCode;
  } catch (e) {
    if (e instanceof TestUsageError) {
      stderr.write(`${TEST_HELP.split('\n\n')[0]}\ntsible test: error: ${e.message}\n`);
      return 2;
    }
    stderr.write(`ERROR! ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.ERROR;
  }
}
