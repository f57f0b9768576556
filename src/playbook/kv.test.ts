// k=v splitting as Ansible's split_args/parse_kv: line breaks and unbalanced input.
import { argsBalanced, parseKv, splitArgs } from './kv';

describe('splitArgs / parseKv', () => {
  test('line breaks stay at the end of the line (multi-line shell)', () => {
    expect(splitArgs('echo multi\necho line\n')).toEqual(['echo', 'multi\n', 'echo', 'line\n']);
    expect(parseKv('echo multi\necho line\n', true)._raw_params).toBe('echo multi\necho line\n');
  });
  test('k=v values are stripped of the line break', () => {
    expect(parseKv('msg=hi\nverbosity=0\n')).toEqual({ msg: 'hi', verbosity: '0' });
  });
  test.each([
    ['msg="{{ x }', false],
    ["msg='open", false],
    ['msg="{{ x }}"', true],
    ['a=1 b="x y"', true],
  ])('balanced(%s) = %s', (text, ok) => {
    expect(argsBalanced(text)).toBe(ok);
  });
});
