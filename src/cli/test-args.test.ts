// `tsible test` command lines → TestOptions.
import { parseTestArgv } from './test-args';

const parse = (argv: string[]) => {
  const r = parseTestArgv(argv, '/w', false);
  if (r.kind !== 'ok') throw new Error('help');
  return r.options;
};

test('defaults: the test command on the current directory, destroy always, one job', () => {
  expect(parse([])).toMatchObject({ command: 'test', roleDirs: [], destroy: 'always', jobs: 1, all: false, ansibleArgs: [] });
});

test('a command, role directories, scenario and -- ARGS', () => {
  expect(parse(['converge', 'roles/a', '-s', 'docker', '--', '-vvv', '-t', 'x'])).toMatchObject({
    command: 'converge', roleDirs: ['roles/a'], scenario: 'docker', ansibleArgs: ['-vvv', '-t', 'x'],
  });
});

test('parallel options, junit, destroy=never, force', () => {
  expect(parse(['roles/a', 'roles/b', '--all', '-j', '3', '--junit=out.xml', '--destroy=never', '--force'])).toMatchObject({
    roleDirs: ['roles/a', 'roles/b'], all: true, jobs: 3, junitFile: 'out.xml', destroy: 'never', force: true,
  });
  expect(parse(['-j4']).jobs).toBe(4);
  expect(parse(['--parallel']).jobs).toBeGreaterThanOrEqual(2);
});

test('login HOST and login ROLE_DIR HOST', () => {
  expect(parse(['login', 'node-1'])).toMatchObject({ command: 'login', host: 'node-1', roleDirs: [] });
  expect(parse(['login', 'roles/a', 'node-1'])).toMatchObject({ command: 'login', host: 'node-1', roleDirs: ['roles/a'] });
});

test('errors and help', () => {
  expect(() => parse(['--destroy', 'sometimes'])).toThrow("invalid choice: 'sometimes'");
  expect(() => parse(['--all', '-s', 'x'])).toThrow('not allowed');
  expect(() => parse(['--bogus'])).toThrow('unrecognized argument: --bogus');
  expect(parseTestArgv(['--help'], '/w', false).kind).toBe('help');
});
