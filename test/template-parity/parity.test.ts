// Template parity: every case in cases/*.yml rendered by tsible's Templar must match what
// ansible-playbook 2.14 recorded in reference.json (byte for byte, or value + Python type).
import * as fs from 'fs';
import * as path from 'path';
import { ENV_FOR_CASES, caseDigest, loadCases } from './lib/recorder';
import { InventoryFacts, Outcome, Renderer, comparable, createRenderer, decodeTagged } from './lib/tsible-side';

interface Reference {
  ansible_version: string;
  groups: unknown;
  hostvars: Record<string, Record<string, unknown>>;
  cases: Record<string, Outcome>;
}

const reference = JSON.parse(fs.readFileSync(path.join(__dirname, 'reference.json'), 'utf8')) as Reference;
const cases = loadCases();
const facts: InventoryFacts = {
  groups: decodeTagged(reference.groups) as Record<string, string[]>,
  hostvars: reference.hostvars,
};

let renderer: Renderer | undefined;
let rendererError: unknown;
beforeAll(() => {
  try {
    renderer = createRenderer(facts, ENV_FOR_CASES);
  } catch (err) {
    rendererError = err;
  }
});
afterAll(() => renderer?.dispose());

describe('template parity with ansible-playbook (recorded)', () => {
  test('00-meta all-cases-recorded (at least 250)', () => {
    expect(reference.ansible_version).toMatch(/core 2\.14\./);
    expect(cases.length).toBeGreaterThanOrEqual(250);
    const missing = cases.filter((c) => !reference.cases[c.id]).map((c) => c.id);
    expect(missing).toEqual([]);
  });

  test.each(cases.map((c) => [`${c.source.replace(/\.yml$/, '')} ${c.id}`, c] as const))('%s', (_name, c) => {
    const recorded = reference.cases[c.id];
    if (!recorded) throw new Error(`${c.id} is not in reference.json: run test/template-parity/record.sh`);
    if (recorded.digest !== caseDigest(c)) throw new Error(`${c.id} changed since it was recorded: run record.sh --only ${c.id}`);
    if (!renderer) throw rendererError;
    const actual = renderer.render(c);
    if (actual.failed && !recorded.failed) throw new Error(`tsible raised where Ansible rendered: ${actual.error}`);
    if (!actual.failed && recorded.failed) throw new Error(`Ansible failed (${String(recorded.error).split('\n')[0]}) but tsible gave ${JSON.stringify(actual.value ?? actual.text)}`);
    expect(comparable(actual)).toEqual(comparable(recorded));
  });
});
