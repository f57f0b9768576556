// The Mersenne Twister port against values drawn from CPython 3.11 random.Random.
import { PyRandom, randrange, shuffle } from './py-random';

// Expected values recorded with CPython 3.11's random.Random.
describe('PyRandom matches CPython', () => {
  test('int seed', () => {
    const r = new PyRandom(42);
    expect(r.getrandbits(32)).toBe(2746317213n);
    expect(randrange(r, 0, 100, 1)).toBe(14);
    expect(r.random()).toBe(0.025010755222666936);
  });
  test('string seed (sha512 version 2 seeding)', () => {
    expect(randrange(new PyRandom('web1'), 0, 60, 1)).toBe(52);
  });
  test('seed wider than 32 bits', () => {
    expect(randrange(new PyRandom(2 ** 40 + 5), 0, 1000, 1)).toBe(516);
  });
  test('shuffle', () => {
    expect(shuffle(new PyRandom('abc'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([4, 3, 0, 9, 1, 2, 6, 5, 7, 8]);
  });
  test('choice then stepped randrange', () => {
    const r = new PyRandom(7);
    expect(['a', 'b', 'c', 'd', 'e'][r.randbelow(5)]).toBe('c');
    expect(randrange(r, 10, 100, 5)).toBe(30);
  });
});
