// Host patterns and --limit, compared row by row with `ansible PATTERN --list-hosts [-l LIMIT]`
// as recorded from real Ansible 2.14 in test/fixtures/inventory/patterns.expected.json.
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError } from '../errors';
import { loadInventory } from './index';
import { loadYamlForTests } from './test-helpers';

const ROOT = path.resolve(__dirname, '../../test/fixtures/inventory');
type Row = [string, string, string | null, string[] | null, string[], string | null];
const rows = JSON.parse(fs.readFileSync(path.join(ROOT, 'patterns.expected.json'), 'utf8')) as Row[];

// The ad-hoc CLI swallows these errors; ansible-playbook (which we follow) stops with them.
const PLAYBOOK_ERRORS: Record<string, string> = {
  'web[10]': "No hosts matched the subscripted pattern 'web[10]'",
  'web[-7]': "No hosts matched the subscripted pattern 'web[-7]'",
  '~(': 'Invalid host list pattern: ~(',
};

// Messages printed by the CLI, not by the inventory.
const isCliMessage = (w: string): boolean => w.startsWith('No hosts matched, nothing to do') || w.includes('ERROR!');

function load(caseName: string, warnings: string[]) {
  const dir = path.join(ROOT, 'cases', caseName);
  const def = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as { sources: string[] };
  const inventory = loadInventory(def.sources, { cwd: dir, loadYaml: loadYamlForTests, warn: (m) => warnings.push(m) });
  return { inventory, dir };
}

describe('host patterns match real Ansible', () => {
  test.each(rows)('%s: pattern %j limit %j', (caseName, pattern, limit, hosts, expectedWarnings) => {
    const warnings: string[] = [];
    const { inventory, dir } = load(caseName, warnings);
    if (limit) inventory.applyLimit(limit);
    const playbookError = PLAYBOOK_ERRORS[pattern];
    if (playbookError) {
      expect(() => inventory.resolvePattern(pattern)).toThrow(new TsibleError('BAD_PATTERN', playbookError));
      return;
    }
    const names = inventory.resolvePattern(pattern).map((h) => h.name);
    expect(names).toEqual(hosts ?? []);
    const ours = warnings.map((w) => w.split(dir).join('<case>').replace(/\s+/g, ' ').trim());
    const theirs = expectedWarnings.filter((w) => !isCliMessage(w)).map((w) => w.replace(/\s+/g, ' ').trim());
    if (hosts === null) theirs.push(...expectedWarnings.filter((w) => w.includes('ERROR!')).map((w) => w.split(' ERROR!')[0] as string));
    expect(ours).toEqual(theirs);
  });
});

describe('limit files and the API edges', () => {
  test('a missing @limit file is an error naming it like Ansible', () => {
    const { inventory } = load('ini-basic', []);
    expect(() => inventory.applyLimit('@nope.retry')).toThrow("Unable to find limit file b'nope.retry'");
  });
  test('an empty pattern list selects nothing; ignoreLimits bypasses --limit', () => {
    const { inventory } = load('ini-basic', []);
    inventory.applyLimit('h0');
    expect(inventory.resolvePattern([])).toEqual([]);
    expect(inventory.resolvePattern('all').map((h) => h.name)).toEqual(['h0']);
    expect(inventory.resolvePattern('all', { ignoreLimits: true })).toHaveLength(10);
    inventory.applyLimit(undefined);
    expect(inventory.resolvePattern('newgrp').map((h) => h.name)).toEqual(['x01', 'x04', 'x07']);
  });
  test('a list of patterns is split element by element', () => {
    const { inventory } = load('ini-basic', []);
    expect(inventory.resolvePattern(['newgrp:!x04', 'h0']).map((h) => h.name)).toEqual(['x01', 'x07', 'h0']);
  });
});
