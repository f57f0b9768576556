// Data cases for molecule.yml reading: Molecule's environment substitution rules, unknown-key
// warnings with file and line, merging over the defaults.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { interpolate } from './envsubst';
import { loadScenario, mergeDicts } from './load';
import { unknownKeys } from './schema';

describe('interpolate (Molecule/string.Template rules)', () => {
  const env = { IMAGE: 'debian:12', EMPTY: '', OTHER: 'o', MOLECULE_SCENARIO_NAME: 'default' };
  const cases: [string, string][] = [
    ['${IMAGE}', 'debian:12'],
    ['$IMAGE', 'debian:12'],
    ['${MISSING}', ''],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${MISSING-fallback}', 'fallback'],
    ['${MISSING:-$OTHER}', 'o'],
    ['${MISSING:-""}', '""'],
    ['cost: $$5', 'cost: $5'],
    ['image: "geerlingguy/docker-${MOLECULE_DISTRO:-rockylinux9}-ansible:latest"', 'image: "geerlingguy/docker-rockylinux9-ansible:latest"'],
    ['${image}', ''],
  ];
  test.each(cases)('%s', (text, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  test('MOLECULE_ names are kept for the second pass', () => {
    expect(interpolate('${MOLECULE_SCENARIO_NAME} ${IMAGE}', env, 'MOLECULE_')).toBe('$MOLECULE_SCENARIO_NAME debian:12');
  });

  test('a lone $ is an invalid placeholder with its line and column', () => {
    expect(() => interpolate('a: 1\nb: price $ 5\n', env)).toThrow('Invalid placeholder in string: line 2, col 10');
  });
});

test('unknown keys are named with their line and path', () => {
  const text = 'driver:\n  name: docker\nplatforms:\n  - name: a\n    imagee: x\n    image: y\nprovisionr: {}\nscenario:\n  test_sequence: [create]\n';
  expect(unknownKeys(text, 'm.yml')).toEqual([
    { file: 'm.yml', line: 5, path: 'platforms[0].imagee' },
    { file: 'm.yml', line: 7, path: 'provisionr' },
  ]);
});

test('mergeDicts merges mappings and replaces lists', () => {
  expect(mergeDicts({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 } })).toEqual({ a: { b: 1, c: [2], e: 3 }, d: 1 });
});

test('loadScenario: defaults, MOLECULE_* in values, playbook overrides, sequences', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-harness-unit-'));
  try {
    const dir = path.join(root, 'role', 'molecule', 'default');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'converge.yml'), '[]\n');
    fs.writeFileSync(path.join(dir, 'other.yml'), '[]\n');
    fs.writeFileSync(
      path.join(dir, 'molecule.yml'),
      'driver:\n  name: docker\nplatforms:\n  - name: x\n    image: ${IMG:-tsible/debian:12}\nprovisioner:\n  env:\n    WHERE: ${MOLECULE_SCENARIO_DIRECTORY}\n  playbooks:\n    verify: other.yml\nscenario:\n  test_sequence: [create, converge, bogus]\n',
    );
    const warnings: string[] = [];
    const s = loadScenario({ projectDir: path.join(root, 'role'), scenarioDir: dir, name: 'default', file: path.join(dir, 'molecule.yml') }, { HOME: root }, (m) => warnings.push(m));
    expect(s.config.driver.name).toBe('docker');
    expect(s.config.platforms[0]?.image).toBe('tsible/debian:12');
    expect(s.config.provisioner.env.WHERE).toBe(dir);
    expect(s.config.provisioner.playbooks).toEqual({ converge: path.join(dir, 'converge.yml'), verify: path.join(dir, 'other.yml') });
    expect(s.config.sequences.test).toEqual(['create', 'converge']);
    expect(s.config.sequences.converge).toEqual(['dependency', 'create', 'prepare', 'converge']);
    expect(warnings).toEqual([expect.stringContaining("unknown step 'bogus'")]);
    expect(s.ephemeralDir).toMatch(new RegExp(`^${root}/\\.cache/tsible/test/role-[0-9a-f]{8}/default$`));
    expect(s.moleculeEnv.MOLECULE_INSTANCE_CONFIG).toBe(path.join(s.ephemeralDir, 'instance_config.yml'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
