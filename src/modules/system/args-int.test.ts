// The int conversion of module arguments fails with Ansible's check_type_int wording.
import { validateArgs } from '../args';

const spec = { gid: { type: 'int' as const } };

test('ints and int-like strings convert; anything else fails like Ansible', () => {
  expect(validateArgs('group', spec, { gid: ' +42 ' }).gid).toBe(42);
  expect(validateArgs('group', spec, { gid: 7 }).gid).toBe(7);
  expect(() => validateArgs('group', spec, { gid: 'abc' })).toThrow(
    "argument 'gid' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int",
  );
  expect(() => validateArgs('group', spec, { gid: 1.5 })).toThrow(
    "argument 'gid' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int",
  );
  expect(() => validateArgs('group', spec, { gid: [1] })).toThrow("<class 'list'> cannot be converted to an int");
});
