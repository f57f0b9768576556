// The YAML emitter against Ansible's AnsibleDumper (libyaml) output for the same values.
import { yamlDump } from './yaml-dump';
import cases from './__fixtures__/yaml-cases.json';

// Expected outputs: yaml.dump(v, Dumper=AnsibleDumper, allow_unicode=True, ...) (see __fixtures__).
const usable = (cases as { input: unknown; to_yaml: string; to_nice_yaml: string }[]).filter(
  (c) => !(typeof c.input === 'number' && Number.isInteger(c.input) && Math.abs(c.input) > 1e15),
);

describe('yamlDump matches PyYAML', () => {
  test.each(usable.map((c, i) => [i, c] as const))('to_yaml case %i', (_i, c) => {
    expect(yamlDump(c.input, { defaultFlowStyle: null })).toBe(c.to_yaml);
  });
  test.each(usable.map((c, i) => [i, c] as const))('to_nice_yaml case %i', (_i, c) => {
    expect(yamlDump(c.input, { indent: 4, defaultFlowStyle: false })).toBe(c.to_nice_yaml);
  });
});
