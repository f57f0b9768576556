// Variable precedence, driven by data: each row sets `v` in every layer up to one, and
// that layer must win (Ansible 2.14's order, as written in precedence.ts).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadInventory } from '../inventory';
import { loadYamlFile } from '../parsing/yaml';
import type { Block, Play, RoleInstance, Task } from '../playbook/model';
import { VariableManager, type PlayScope } from './manager';

const LAYERS = [
  'role defaults', 'inventory file group vars (all)', 'inventory file group vars (web)', 'inventory group_vars/all',
  'playbook group_vars/all', 'inventory group_vars/web', 'playbook group_vars/web', 'inventory file host vars',
  'inventory host_vars', 'playbook host_vars', 'facts', 'play vars', 'play vars_files', 'role vars', 'block vars',
  'task vars', 'include_vars', 'set_fact', 'role params', 'include params', 'extra vars',
] as const;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function setup(upTo: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prec-'));
  const inv = path.join(dir, 'inv');
  const pb = path.join(dir, 'pb');
  const has = (name: (typeof LAYERS)[number]) => LAYERS.indexOf(name) <= upTo;
  const line = (name: (typeof LAYERS)[number]) => (has(name) ? `v: ${JSON.stringify(name)}\n` : '{}\n');
  const iniVar = (name: (typeof LAYERS)[number]) => (has(name) ? `v="${name}"` : '');
  write(path.join(inv, 'hosts'), `[web]\nh1 ${iniVar('inventory file host vars')}\n[web:vars]\n${iniVar('inventory file group vars (web)')}\n[all:vars]\n${iniVar('inventory file group vars (all)')}\n`);
  write(path.join(inv, 'group_vars', 'all.yml'), line('inventory group_vars/all'));
  write(path.join(inv, 'group_vars', 'web.yml'), line('inventory group_vars/web'));
  write(path.join(inv, 'host_vars', 'h1.yml'), line('inventory host_vars'));
  write(path.join(pb, 'group_vars', 'all.yml'), line('playbook group_vars/all'));
  write(path.join(pb, 'group_vars', 'web.yml'), line('playbook group_vars/web'));
  write(path.join(pb, 'host_vars', 'h1.yml'), line('playbook host_vars'));
  const inventory = loadInventory([path.join(inv, 'hosts')], { cwd: dir, playbookDir: pb, loadYaml: (f) => loadYamlFile(f) });
  const pick = (name: (typeof LAYERS)[number]): Record<string, unknown> => (has(name) ? { v: name } : {});
  const role: RoleInstance = {
    name: 'r', path: path.join(pb, 'roles', 'r'), defaults: pick('role defaults'), vars: pick('role vars'),
    params: pick('role params'), dependencies: [], handlers: [], publicVars: true,
  };
  const play = { roles: [role], vars: pick('play vars'), importVars: {}, baseDir: pb, name: 'p' } as unknown as Play;
  const block: Block = {
    kind: 'block', id: 1, block: [], rescue: [], always: [], when: [], tags: [], vars: pick('block vars'), keywords: {},
    includeParams: pick('include params'),
  };
  const task = { kind: 'task', id: 2, role, parent: block, vars: pick('task vars') } as unknown as Task;
  const manager = new VariableManager(inventory, pick('extra vars'), {
    playbookDir: pb, checkMode: false, diffMode: false, verbosity: 0, runTags: [], skipTags: [], omitToken: 'OMIT',
    forks: 5, inventorySources: [], version: '2.14.18',
  });
  if (has('facts')) manager.setFacts('h1', { v: 'facts' });
  if (has('include_vars')) manager.setIncludeVars('h1', { v: 'include_vars' });
  if (has('set_fact')) manager.setNonPersistent('h1', { v: 'set_fact' });
  const scope: PlayScope = { play, playHosts: ['h1'], playHostsAll: ['h1'], playBatch: ['h1'], varsFiles: new Map([['h1', pick('play vars_files')]]) };
  return { manager, scope, task };
}

test.each(LAYERS.map((name, i) => [name, i]))('%s wins over every layer below it', (name, i) => {
  const { manager, scope, task } = setup(i);
  expect(manager.getVars('h1', scope, task).v).toBe(name);
});

test('magic variables are always present and cannot be overridden by extra vars', () => {
  const { manager, scope, task } = setup(LAYERS.length - 1);
  const vars = manager.getVars('h1', scope, task);
  expect(vars.inventory_hostname).toBe('h1');
  expect(vars.group_names).toEqual(['web']);
  expect(vars.role_name).toBe('r');
  expect((vars.vars as Record<string, unknown>).v).toBe('extra vars');
});
