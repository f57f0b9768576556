// Whole inventories compared with what real Ansible 2.14 made of them: every folder in
// test/fixtures/inventory/cases holds case.json, the sources, and expected.json (record.py).
import * as fs from 'fs';
import * as path from 'path';
import { PyFloat } from '../template/pyvalues';
import { loadInventory } from './index';
import { loadYamlForTests } from './test-helpers';

const CASES = path.resolve(__dirname, '../../test/fixtures/inventory/cases');

interface Expected {
  groups: [string, string[]][];
  hostvars: Record<string, Record<string, unknown>>;
  magic: Record<string, Record<string, unknown>>;
  warnings: string[];
}

/** JSON view of our values: integral floats as plain numbers, as ansible-inventory prints them. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof PyFloat ? x.value : x)));
}

// The text of a YAML syntax error comes from the injected loader, not from the inventory.
const normWarning = (w: string): string =>
  w
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(with yaml plugin:) (We were unable to read|[^<]*YAML|.*(?:Nested|Implicit|flow|Map keys|Unexpected|must)).*$/s, '$1 <yaml error>');

describe.each(fs.readdirSync(CASES).sort())('inventory case %s', (name) => {
  const dir = path.join(CASES, name);
  const caseDef = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as {
    sources: string[];
    playbookDir?: string;
  };
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
  const warnings: string[] = [];
  const inventory = loadInventory(caseDef.sources, {
    cwd: dir,
    playbookDir: caseDef.playbookDir ? path.resolve(dir, caseDef.playbookDir) : undefined,
    loadYaml: loadYamlForTests,
    warn: (m) => warnings.push(m),
  });
  const rel = (v: unknown): unknown => (typeof v === 'string' ? v.split(dir).join('<case>') : v);

  test('groups magic variable (names, order, hosts)', () => {
    expect(Object.entries(inventory.groups())).toEqual(expected.groups);
  });

  test('merged inventory host vars', () => {
    const ours: Record<string, Record<string, unknown>> = {};
    for (const host of inventory.hosts()) {
      const merged: Record<string, unknown> = {};
      for (const layer of inventory.varLayers(host.name)) Object.assign(merged, layer.vars);
      delete merged.inventory_file;
      delete merged.inventory_dir;
      // ansible-inventory --list leaves out hosts without variables
      if (Object.keys(merged).length) ours[host.name] = plain(merged) as Record<string, unknown>;
    }
    expect(ours).toEqual(expected.hostvars);
  });

  test('magic vars: group_names, inventory_hostname_short, inventory_file/dir', () => {
    const ours: Record<string, Record<string, unknown>> = {};
    for (const name of Object.keys(expected.magic)) {
      const m = inventory.magicVars(name);
      ours[name] = {
        inventory_file: rel(m.inventory_file),
        inventory_dir: rel(m.inventory_dir),
        inventory_hostname_short: m.inventory_hostname_short,
        group_names: m.group_names,
      };
    }
    expect(ours).toEqual(expected.magic);
  });

  test('warnings', () => {
    expect(warnings.map((w) => normWarning(String(rel(w))))).toEqual(expected.warnings.map(normWarning));
  });
});
