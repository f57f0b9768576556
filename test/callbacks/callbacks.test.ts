// The timing callbacks (profile_tasks, profile_roles, timer) print what ansible-playbook printed for
// the same case (test/callbacks/cases, recorded by record.ts), clock masked; the summary order is
// the one the case's sleeps decide, and its seconds are sorted as the options say.
import { comparable, loadCases, maskClock, readReference, runCase, summaryRows } from './lib';

const cases = loadCases();

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  test('stdout, stderr and exit code as ansible-playbook', () => {
    const ref = readReference(c);
    if (!ref) throw new Error(`${c.name} is not recorded: npx ts-node --transpile-only test/callbacks/record.ts ${c.name}`);
    const out = runCase(c, 'tsible');
    expect(comparable(c, out.stdout)).toBe(ref.stdout);
    expect(maskClock(out.stderr)).toBe(ref.stderr);
    expect(out.code).toBe(ref.code);
    const rows = summaryRows(out.stdout);
    if (c.order) expect(rows.map((r) => r.name)).toEqual(c.order);
    const seconds = rows.map((r) => r.seconds);
    if (c.sort === 'descending') expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
    if (c.sort === 'ascending') expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
  });
});
