// Every case here was recorded from Ansible 2.14's own Templar (`{{ (input | filter(args)) | to_json }}`),
// see __fixtures__/ansible-cases.json; outputs are compared as Python json.dumps text.
import { isUndefined, pyJsonDumps } from '../pyvalues';
import { tests } from '../tests';
import type { FilterFn, TestFn } from '../plugin-types';
import { filters } from '.';
import { fakeContext } from './__fixtures__/context';
import cases from './__fixtures__/ansible-cases.json';

interface Case {
  kind: 'f' | 't';
  name: string;
  input: unknown;
  args: unknown[];
  kwargs: Record<string, unknown>;
  expected: string | null;
  error: string | null;
}

const ctx = fakeContext();
// Known deviations: integers beyond 2**53 (IPv6 network sizes) have no exact JS number.
// Tests return booleans here, while Ansible's result tests return the raw value ('yes').
// Integral floats and -0.0 cannot be told apart after the JSON round trip of the fixture.
const skipped = (c: Case) =>
  (c.name.endsWith('ipaddr') && c.args[0] === 'size' && String(c.input).includes(':')) ||
  (c.kind === 't' && c.name === 'failed' && JSON.stringify(c.input) === '{"failed":"yes"}') ||
  (c.name === 'to_json' && JSON.stringify(c.input).includes('1e+100')) ||
  (c.name === 'float' && c.input === 'inf');
const all = cases as Case[];

function run(c: Case): unknown {
  const registry = (c.kind === 'f' ? filters : tests) as Record<string, FilterFn | TestFn>;
  const fn = registry[c.name.replace(/^[a-z_]+\.[a-z_]+\./, '')];
  if (!fn) throw new Error(`not registered: ${c.name}`);
  return fn(ctx, c.input, c.args, c.kwargs);
}

const label = (c: Case) => `${c.kind === 'f' ? '|' : 'is'} ${c.name} ${JSON.stringify(c.input).slice(0, 40)} ${JSON.stringify(c.args).slice(0, 40)} ${JSON.stringify(c.kwargs)}`;

describe('filters and tests match Ansible 2.14', () => {
  test.each(all.filter((c) => c.error === null && !skipped(c)).map((c) => [label(c), c] as const))('%s', (_l, c) => {
    expect(pyJsonDumps(run(c))).toBe(c.expected);
  });
});

describe('cases where Ansible fails fail here too', () => {
  test.each(all.filter((c) => c.error !== null && !skipped(c)).map((c) => [label(c), c] as const))('%s', (_l, c) => {
    let outcome: unknown;
    try {
      outcome = run(c);
    } catch (e) {
      outcome = e;
    }
    // Either an exception, or an Undefined that fails once it is used (as in Jinja2).
    expect(outcome instanceof Error || isUndefined(outcome)).toBe(true);
  });
});
