// The Inventory API beyond parsing: var layers in precedence order, add_host/group_by
// (expected values measured with ansible-playbook 2.14), implicit localhost, magic vars.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadInventory } from './index';
import { loadYamlForTests } from './test-helpers';

const CASES = path.resolve(__dirname, '../../test/fixtures/inventory/cases');

function loadCase(name: string, playbookDir?: string) {
  const dir = path.join(CASES, name);
  const def = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as { sources: string[] };
  const warnings: string[] = [];
  const inventory = loadInventory(def.sources, {
    cwd: dir,
    playbookDir: playbookDir && path.join(dir, playbookDir),
    loadYaml: loadYamlForTests,
    warn: (m) => warnings.push(m),
  });
  return { inventory, dir, warnings };
}

describe('varLayers: Ansible 2.14 precedence order, one layer per source of variables', () => {
  const table: [string, string | undefined, string, [string, string, Record<string, unknown>][]][] = [
    [
      'playbook-vars',
      'pb',
      'a1',
      [
        ['inventory_file_group_vars', "inventory vars of group 'all'", { x: 'all_inline', w: 'all_inline' }],
        ['inventory_file_group_vars', "inventory vars of group 'app'", { x: 'app_inline', yv: 'app_inline', z: 'app_inline' }],
        ['inventory_group_vars_all', 'group_vars/all (<case>/inv/group_vars/all.yml)', { x: 'inv_gv_all', w: 'inv_gv_all', v: 'inv_gv_all' }],
        ['playbook_group_vars_all', 'group_vars/all (<case>/pb/group_vars/all/main.yml)', { x: 'pb_gv_all', v: 'pb_gv_all', u: 'pb_gv_all' }],
        ['inventory_group_vars', 'group_vars/app (<case>/inv/group_vars/app.yml)', { yv: 'inv_gv_app', t: 'inv_gv_app' }],
        ['playbook_group_vars', 'group_vars/app (<case>/pb/group_vars/app)', { yv: 'pb_gv_app', u: 'pb_gv_app' }],
        [
          'inventory_file_host_vars',
          "inventory vars of host 'a1'",
          { x: 'host_line', inventory_file: '<case>/inv/hosts', inventory_dir: '<case>/inv' },
        ],
        ['inventory_host_vars', 'host_vars/a1 (<case>/inv/host_vars/a1.yml)', { x: 'inv_hv', z: 'inv_hv' }],
        ['playbook_host_vars', 'host_vars/a1 (<case>/pb/host_vars/a1.yaml)', { z: 'pb_hv', s: 'pb_hv' }],
      ],
    ],
    [
      // depth first, then ansible_group_priority (default 1, higher wins), then name
      'depth-precedence',
      undefined,
      'h1',
      [
        ['inventory_file_group_vars', "inventory vars of group 'all'", {}],
        ['inventory_file_group_vars', "inventory vars of group 'a_parent'", { d: 'parent', dd: 'parent' }],
        ['inventory_file_group_vars', "inventory vars of group 'b_group'", { d: 'b_group', e: 'b_group', dd: 'b_group' }],
        ['inventory_file_group_vars', "inventory vars of group 'prio_high'", { v: 'prio_high', w: 'prio_high' }],
        ['inventory_file_group_vars', "inventory vars of group 'prio_low'", { v: 'prio_low' }],
        ['inventory_file_group_vars', "inventory vars of group 'z_child'", { d: 'child', dd: 'child' }],
        ['inventory_group_vars_all', 'group_vars/all (<case>/group_vars/all.yml)', { e: 'file_all', d: 'file_all' }],
        ['inventory_file_host_vars', "inventory vars of host 'h1'", { inventory_file: '<case>/hosts', inventory_dir: '<case>' }],
      ],
    ],
  ];
  test.each(table)('%s (playbook dir %s) host %s', (caseName, playbookDir, host, expected) => {
    const { inventory, dir } = loadCase(caseName, playbookDir);
    const rel = (s: unknown): unknown => (typeof s === 'string' ? s.split(dir).join('<case>') : s);
    const layers = inventory.varLayers(host).map((l) => [
      l.kind,
      rel(l.name),
      Object.fromEntries(Object.entries(l.vars).map(([k, v]) => [k, rel(v)])),
    ]);
    expect(layers).toEqual(expected);
  });

  test('a vars file that is not a mapping is an INVENTORY error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-inv-'));
    fs.writeFileSync(path.join(dir, 'hosts'), '[g]\nh1\n');
    fs.mkdirSync(path.join(dir, 'group_vars'));
    fs.writeFileSync(path.join(dir, 'group_vars', 'g.yml'), '- a\n- b\n');
    const inventory = loadInventory(['hosts'], { cwd: dir, loadYaml: loadYamlForTests });
    expect(() => inventory.varLayers('h1')).toThrow(expect.objectContaining({ code: 'INVENTORY' }));
  });
});

describe('add_host and group_by', () => {
  test('groups and group_names match ansible-playbook after add_host then group_by', () => {
    const { inventory } = loadCase('ini-basic');
    const playHosts = inventory.resolvePattern('all').map((h) => h.name);
    expect(inventory.addHost('new1', ['fresh', 'web'], { v: 1 }).changed).toBe(true);
    expect(inventory.addHost('h0', ['fresh']).changed).toBe(true);
    expect(inventory.addHost('h0', ['fresh']).changed).toBe(false);
    for (const h of playHosts) inventory.groupBy(h, `by_${h[0]}`, ['parent_a']);
    expect(inventory.groups()).toEqual({
      all: ['new1', 'h0', 'web01', 'web02', 'web03', 'db-a', 'db-b', 'db-c', 'x01', 'x04', 'x07'],
      ungrouped: [],
      web: ['web01', 'web02', 'web03', 'db-a', 'db-b', 'db-c', 'new1'],
      lb: ['web01', 'web02', 'web03', 'db-a', 'db-b', 'db-c', 'new1', 'x01', 'x04', 'x07'],
      newgrp: ['x01', 'x04', 'x07'],
      fresh: ['new1', 'h0'],
      by_h: ['h0'],
      parent_a: ['h0', 'web01', 'web02', 'web03', 'db-a', 'db-b', 'db-c', 'x01', 'x04', 'x07'],
      by_w: ['web01', 'web02', 'web03'],
      by_d: ['db-a', 'db-b', 'db-c'],
      by_x: ['x01', 'x04', 'x07'],
    });
    expect(inventory.groupNames('new1')).toEqual(['fresh', 'lb', 'web']);
    expect(inventory.groupNames('h0')).toEqual(['by_h', 'fresh', 'parent_a']);
    expect(inventory.magicVars('new1').inventory_dir).toBeNull();
    expect(inventory.host('new1')?.vars.v).toBe(1);
  });

  test('group_by of an unknown host is an error', () => {
    const { inventory } = loadCase('ini-basic');
    expect(() => inventory.groupBy('ghost', 'g')).toThrow('ghost cannot be matched in inventory');
  });
});

describe('implicit localhost', () => {
  test('exists on demand, is not in all, gets all-group vars and a local connection', () => {
    const { inventory } = loadCase('ini-basic');
    expect(inventory.hosts().map((h) => h.name)).not.toContain('localhost');
    const local = inventory.host('localhost');
    expect(local?.implicit).toBe(true);
    expect(local?.vars).toEqual({ ansible_python_interpreter: '/usr/bin/python3', ansible_connection: 'local' });
    const merged = Object.assign({}, ...inventory.varLayers('localhost').map((l) => l.vars)) as Record<string, unknown>;
    expect(merged).toMatchObject({ av: 1, ansible_connection: 'local' });
    expect(inventory.host('127.0.0.1')).toBe(local);
    expect(inventory.groups().all).not.toContain('localhost');
    expect(inventory.groupNames('localhost')).toEqual([]);
    expect(inventory.host('otherhost')).toBeUndefined();
  });

  test('group_vars/all beats [all:vars] for the implicit localhost too (measured: x=2, y=1)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-inv-'));
    fs.writeFileSync(path.join(dir, 'hosts'), '[g]\nh1\n[all:vars]\nx=1\ny=1\n');
    fs.mkdirSync(path.join(dir, 'group_vars'));
    fs.writeFileSync(path.join(dir, 'group_vars', 'all.yml'), 'x: 2\n');
    const inventory = loadInventory(['hosts'], { cwd: dir, loadYaml: loadYamlForTests });
    const merged = Object.assign({}, ...inventory.varLayers('localhost').map((l) => l.vars)) as Record<string, unknown>;
    expect(merged).toMatchObject({ x: 2, y: 1, ansible_connection: 'local' });
  });

  test('inventory_hostname_short keeps IP addresses whole', () => {
    const { inventory } = loadCase('yaml-nested');
    expect(inventory.magicVars('10.0.0.1').inventory_hostname_short).toBe('10.0.0.1');
    expect(inventory.magicVars('web1.example.com').inventory_hostname_short).toBe('web1');
  });
});

describe('configuration knobs (measured with the matching ANSIBLE_* variables)', () => {
  const dirOf = (name: string): string => path.join(CASES, name);
  test('inventory_unparsed_failed makes "no inventory" an error', () => {
    expect(() =>
      loadInventory(['nonexistent'], { cwd: dirOf('missing'), loadYaml: loadYamlForTests, unparsedIsFailed: true }),
    ).toThrow('No inventory was parsed, please check your configuration and options.');
  });
  test('inventory_any_unparsed_is_failed stops at the first bad source', () => {
    const dir = dirOf('malformed');
    expect(() =>
      loadInventory(['bad.ini', 'good.ini'], { cwd: dir, loadYaml: loadYamlForTests, anyUnparsedIsFailed: true }),
    ).toThrow(`Completely failed to parse inventory source ${dir}/bad.ini`);
  });
  test('host_pattern_mismatch=error raises, =ignore is silent', () => {
    const strict = loadInventory(['hosts.ini'], { cwd: dirOf('ini-basic'), loadYaml: loadYamlForTests, hostPatternMismatch: 'error' });
    expect(() => strict.resolvePattern('nosuch:h0')).toThrow('Could not match supplied host pattern, ignoring: nosuch');
    const quiet = loadInventory(['hosts.ini'], { cwd: dirOf('ini-basic'), loadYaml: loadYamlForTests, hostPatternMismatch: 'ignore' });
    expect(quiet.resolvePattern('nosuch:h0').map((h) => h.name)).toEqual(['h0']);
    expect(quiet.warnings).toEqual([]);
  });
  test('inventory_ignore_extensions replaces the default list; ignore patterns are searched', () => {
    const inventory = loadInventory(['inv'], {
      cwd: dirOf('dir-source'),
      loadYaml: loadYamlForTests,
      ignoreExtensions: ['.yml', 'hosts'],
      ignorePatterns: ['^s'],
    });
    // ansible-inventory --graph with ANSIBLE_INVENTORY_IGNORE=".yml,hosts" ANSIBLE_INVENTORY_IGNORE_REGEX='^s'
    expect(Object.keys(inventory.groups())).toEqual(['all', 'ungrouped', 'i', 'a', 'f']);
    expect(inventory.groups().i).toEqual(['h8']);
  });
});

describe('default source', () => {
  test('an absent /etc/ansible/hosts gives only the "no inventory" warning', () => {
    if (fs.existsSync('/etc/ansible/hosts')) return;
    const warnings: string[] = [];
    const inventory = loadInventory(['/etc/ansible/hosts'], { cwd: '/', loadYaml: loadYamlForTests, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual(['No inventory was parsed, only implicit localhost is available']);
    expect(inventory.resolvePattern('localhost').map((h) => h.name)).toEqual(['localhost']);
  });
});
