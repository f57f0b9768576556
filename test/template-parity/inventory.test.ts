// Cross-check: tsible's own inventory loader gives the suite's inventory the same `groups`
// and host variables that ansible-inventory recorded (parity.test.ts uses the recording).
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { loadInventory } from '../../src/inventory';
import { decodeTagged } from './lib/tsible-side';

const reference = JSON.parse(fs.readFileSync(path.join(__dirname, 'reference.json'), 'utf8')) as {
  groups: unknown;
  hostvars: Record<string, Record<string, unknown>>;
};
const sources = ['inventory.ini', 'inventory-fleet.ini'].map((f) => path.join(__dirname, f));
const inventory = loadInventory(sources, {
  cwd: __dirname,
  loadYaml: (file) => YAML.parse(fs.readFileSync(file, 'utf8'), { version: '1.1' }),
});

/** Keys sorted (ansible-inventory sorts them) and the inventory_file/dir magic vars dropped. */
function canonical(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(vars).sort()) if (k !== 'inventory_file' && k !== 'inventory_dir') out[k] = vars[k];
  return out;
}

test('groups magic variable matches Ansible (order included)', () => {
  expect(inventory.groups()).toEqual(decodeTagged(reference.groups));
});

test('merged inventory host vars match ansible-inventory --list', () => {
  const actual: Record<string, unknown> = {};
  for (const host of inventory.hosts()) {
    actual[host.name] = canonical(Object.assign({}, ...inventory.varLayers(host.name).map((layer) => layer.vars)));
  }
  const expected: Record<string, unknown> = {};
  for (const [host, vars] of Object.entries(reference.hostvars)) expected[host] = canonical(vars);
  expect(actual).toEqual(expected);
});
