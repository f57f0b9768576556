// Ansible 2.14's variable precedence, written down once. Layers are merged in this
// order, later wins (hash_behaviour=replace: a later layer replaces a whole key).
//
//  1. role defaults (every role of the play, then the task's role chain)
//  2. inventory: file group vars, group_vars/all (inventory, playbook), group_vars/*
//     (inventory, playbook), file host vars, host_vars/* (inventory, playbook)
//  3. host facts (gathered, and cacheable set_fact) - as ansible_facts and top level
//  4. play vars, 5. play vars_files
//  6. role vars (every role of the play, then the task's role chain)
//  7. block vars (outer to inner), then task vars
//  8. include_vars
//  9. set_fact and registered results
// 10. role params (the task's role chain), include params
// 11. extra vars (-e)
// 12. magic variables (hostvars, groups, inventory_hostname, ...), then `vars` itself

export type LayerName =
  | 'role defaults'
  | 'inventory'
  | 'facts'
  | 'play vars'
  | 'play vars_files'
  | 'role vars'
  | 'task vars'
  | 'include_vars'
  | 'set_fact'
  | 'role params'
  | 'include params'
  | 'extra vars'
  | 'magic vars';

export const PRECEDENCE: readonly LayerName[] = [
  'role defaults',
  'inventory',
  'facts',
  'play vars',
  'play vars_files',
  'role vars',
  'task vars',
  'include_vars',
  'set_fact',
  'role params',
  'include params',
  'extra vars',
  'magic vars',
];

/** Merges layers given in precedence order (replace semantics). */
export function mergeLayers(layers: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) Object.assign(out, layer);
  return out;
}
