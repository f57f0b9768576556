// Path tests on real files in a temp dir, and the error messages of result and version tests.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tests } from '.';
import { fakeContext } from '../filters/__fixtures__/context';

const ctx = fakeContext();
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-tests-'));
  fs.writeFileSync(path.join(dir, 'f.txt'), 'x');
  fs.symlinkSync(path.join(dir, 'f.txt'), path.join(dir, 'link'));
  fs.symlinkSync(path.join(dir, 'gone'), path.join(dir, 'dangling'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const is = (name: string, value: unknown, ...args: unknown[]) => tests[name as keyof typeof tests](ctx, value, args, {});

describe('path tests on the controller filesystem', () => {
  test('file / directory / link / exists / link_exists', () => {
    expect(is('file', path.join(dir, 'f.txt'))).toBe(true);
    expect(is('file', dir)).toBe(false);
    expect(is('directory', dir)).toBe(true);
    expect(is('link', path.join(dir, 'link'))).toBe(true);
    expect(is('link', path.join(dir, 'f.txt'))).toBe(false);
    expect(is('file', path.join(dir, 'link'))).toBe(true);
    expect(is('exists', path.join(dir, 'dangling'))).toBe(false);
    expect(is('link_exists', path.join(dir, 'dangling'))).toBe(true);
    expect(is('exists', '~')).toBe(true);
  });
  test('abs, same_file, mount', () => {
    expect(is('abs', '/x')).toBe(true);
    expect(is('abs', 'x/y')).toBe(false);
    expect(is('same_file', path.join(dir, 'link'), path.join(dir, 'f.txt'))).toBe(true);
    expect(is('mount', '/')).toBe(true);
    expect(is('mount', dir)).toBe(false);
  });
});

describe('result tests need a dictionary', () => {
  test.each(['failed', 'changed', 'skipped', 'success', 'finished'])('%s', (name) => {
    expect(() => is(name, 'not a dict')).toThrow(`The '${name}' test expects a dictionary`);
  });
});

describe('version test errors', () => {
  test('invalid operator and empty input', () => {
    expect(() => is('version', '1.0', '2.0', 'bogus')).toThrow('Invalid operator type (bogus)');
    expect(() => is('version', '', '2.0')).toThrow('Input version value cannot be empty');
    expect(() => is('version', '1.a', '1.0', 'lt')).toThrow("'<' not supported between instances of 'str' and 'int'");
    expect(() => is('version', '1.0', '1.0', 'eq', true, 'semver')).toThrow("Cannot specify both 'strict' and 'version_type'");
  });
});
