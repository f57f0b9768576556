// Python re patterns and replacement templates, checked against CPython re on the same inputs.
import { compilePyRegex, pyFindall, pySub } from './pyregex';
import cases from './__fixtures__/regex-cases.json';

// Expected values computed with CPython's re (sub, findall, search, match) on the same inputs.
describe('Python re translation', () => {
  test.each(cases.map((c) => [c.pattern, c] as const))('%s', (_p, c) => {
    const re = compilePyRegex(c.pattern);
    expect(pySub(re, c.repl, c.input)).toBe(c.sub);
    expect(pyFindall(re, c.input)).toEqual(c.findall);
    expect(re.test(c.input)).toBe(c.search);
    expect(compilePyRegex(c.pattern, {}, 'y').test(c.input)).toBe(c.match);
  });
});
