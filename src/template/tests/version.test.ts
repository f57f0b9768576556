// The version test's pep440 ordering (pre, post, dev and local releases, epochs).
import { versionCompare } from './version';

const pep = (a: string, op: string, b: string): boolean => versionCompare(a, b, op, null, 'pep440');

describe('version_type=pep440', () => {
  test.each([
    ['2.14.0rc1', 'lt', '2.14.0'],
    ['1.0', 'eq', '1.0.0'],
    ['1.0.dev1', 'lt', '1.0a1'],
    ['1.0a1', 'lt', '1.0b1'],
    ['1.0b2', 'lt', '1.0rc1'],
    ['1.0', 'lt', '1.0.post1'],
    ['1.0-1', 'eq', '1.0.post1'],
    ['1.0a1.post2.dev3', 'lt', '1.0a1.post2'],
    ['1.0+abc', 'lt', '1.0+local.7'],
    ['1.0', 'lt', '1.0+anything'],
    ['1!0.1', 'gt', '2.0'],
  ])('%s %s %s', (a, op, b) => expect(pep(a, op, b)).toBe(true));
  test('an invalid version is an error', () => {
    expect(() => pep('nope', 'lt', '1.0')).toThrow("Version comparison failed: Invalid version: 'nope'");
  });
});
