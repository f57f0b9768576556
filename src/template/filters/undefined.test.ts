// Only default/d, mandatory and the definedness tests accept an Undefined; everything else raises.
import { UndefinedVariableError } from '../../errors';
import { pyRepr, Undefined } from '../pyvalues';
import { tests as testRegistry } from '../tests';
import type { FilterFn, TestFn } from '../plugin-types';
import { filters as filterRegistry } from '.';
import { fakeContext } from './__fixtures__/context';

// every registry entry called with the full plugin signature
const filter = (name: string): FilterFn => {
  const fn = filterRegistry[name];
  if (!fn) throw new Error(`no filter named ${name}`);
  return fn;
};
const tests: { [K in keyof typeof testRegistry]: TestFn } = testRegistry;
const ctx = fakeContext();
const undef = new Undefined('missing');

describe('Undefined handling', () => {
  test.each(['lower', 'upper', 'int', 'bool', 'length', 'first', 'join', 'sort', 'unique', 'to_json', 'to_nice_yaml', 'b64encode', 'hash', 'regex_replace', 'basename', 'combine', 'dict2items', 'map', 'select', 'ternary', 'string', 'quote', 'ipaddr'])(
    '%s raises UndefinedVariableError',
    (name) => {
      expect(() => filter(name)(ctx, undef, [], {})).toThrow(UndefinedVariableError);
    },
  );
  test('an Undefined inside a structure also raises when serialised', () => {
    expect(() => filter('to_yaml')(ctx, { a: undef }, [], {})).toThrow("'missing' is undefined");
    expect(() => filter('to_json')(ctx, [1, { a: undef }], [], {})).toThrow(UndefinedVariableError);
  });
  test('default / d replace Undefined, and falsy values with boolean=True', () => {
    expect(filter('default')(ctx, undef, ['x'], {})).toBe('x');
    expect(filter('d')(ctx, undef, [], {})).toBe('');
    expect(filter('default')(ctx, '', ['x'], {})).toBe('');
    expect(filter('default')(ctx, '', ['x', true], {})).toBe('x');
    expect(filter('default')(ctx, 0, ['x'], { boolean: true })).toBe('x');
  });
  test('mandatory raises with the variable name or a custom message', () => {
    expect(() => filter('mandatory')(ctx, undef, [], {})).toThrow("Mandatory variable 'missing'  not defined.");
    expect(() => filter('mandatory')(ctx, undef, ['set it!'], {})).toThrow('set it!');
    expect(filter('mandatory')(ctx, 1, [], {})).toBe(1);
  });
  test('defined / undefined tests accept it', () => {
    expect(tests.defined(ctx, undef, [], {})).toBe(false);
    expect(tests.undefined(ctx, undef, [], {})).toBe(true);
  });
  test('map(attribute=) yields Undefined for missing attributes unless default= is given', () => {
    const out = filter('map')(ctx, [{ a: 1 }, {}], [], { attribute: 'a' }) as unknown[];
    expect(out[0]).toBe(1);
    expect(out[1]).toBeInstanceOf(Undefined);
    expect(filter('map')(ctx, [{ a: 1 }, {}], [], { attribute: 'a', default: 0 })).toEqual([1, 0]);
  });
  test('unknown tests and filters named in select/map are errors', () => {
    expect(() => filter('select')(ctx, [1], ['nosuchtest'], {})).toThrow(`Could not load "nosuchtest": 'nosuchtest'`);
    expect(() => filter('select')(ctx, [1], ['asdf '], {})).toThrow(`Could not load "asdf ": 'invalid plugin name: ansible.builtin.asdf '`);
    expect(() => filter('map')(ctx, [1], ['nosuchfilter'], {})).toThrow(`Could not load "nosuchfilter": 'nosuchfilter'`);
  });
});

describe('tuples where Python returns tuples (they print as (a, b) in strings)', () => {
  test.each([
    ['splitext', 'a.b', [], "('a', '.b')"],
    ['zip', [1, 2], [[3, 4]], '[(1, 3), (2, 4)]'],
    ['items', { a: 1 }, [], "[('a', 1)]"],
    ['dictsort', { a: 1 }, [], "[('a', 1)]"],
    ['groupby', [{ k: 1 }], ['k'], "[(1, [{'k': 1}])]"],
    ['combinations', [1, 2, 3], [2], '[(1, 2), (1, 3), (2, 3)]'],
    ['batch', [1, 2, 3], [2], '[[1, 2], [3]]'],
  ])('%s', (name, value, args, printed) => {
    expect(pyRepr(filter(name)(ctx, value, args as unknown[], {}))).toBe(printed);
  });
});
