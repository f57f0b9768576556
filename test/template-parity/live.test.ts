// Live template parity: the `live: true` cases are run through the installed ansible-playbook
// during the test and compared with tsible (skipped when ansible-playbook is not on PATH).
import { spawnSync } from 'child_process';
import { ENV_FOR_CASES, loadCases, runAnsible } from './lib/recorder';
import { InventoryFacts, Outcome, Renderer, comparable, createRenderer, decodeTagged } from './lib/tsible-side';

// Only ansible-core 2.14 is the reference: other versions template differently.
const versionProbe = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
const hasAnsible = versionProbe.status === 0 && /core 2\.14\./.test(versionProbe.stdout);
const hasCollections =
  hasAnsible && spawnSync('ansible-doc', ['-t', 'filter', 'ansible.utils.ipaddr'], { stdio: 'ignore' }).status === 0;
const liveCases = loadCases().filter((c) => c.live && (!c.collection || hasCollections));
const describeLive = hasAnsible ? describe : describe.skip;

describeLive('template parity with ansible-playbook (live)', () => {
  let live: Record<string, Outcome> = {};
  let renderer: Renderer | undefined;
  let rendererError: unknown;

  beforeAll(() => {
    const run = runAnsible(liveCases, { timeoutMs: 600_000 });
    live = run.results;
    const facts: InventoryFacts = { groups: decodeTagged(run.groups) as Record<string, string[]>, hostvars: run.hostvars };
    try {
      renderer = createRenderer(facts, ENV_FOR_CASES);
    } catch (err) {
      rendererError = err;
    }
  }, 600_000);
  afterAll(() => renderer?.dispose());

  test('the live subset is big enough', () => {
    expect(liveCases.length).toBeGreaterThanOrEqual(20);
  });

  test.each(liveCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const expected = live[c.id];
    if (!expected) throw new Error(`ansible-playbook produced no result for ${c.id}`);
    expect(Boolean(expected.failed)).toBe(Boolean(c.expect_error));
    if (!renderer) throw rendererError;
    const actual = renderer.render(c);
    if (actual.failed && !expected.failed) throw new Error(`tsible raised where Ansible rendered: ${actual.error}`);
    expect(comparable(actual)).toEqual(comparable(expected));
  });
});
