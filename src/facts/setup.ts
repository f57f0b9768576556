// The setup module: gathers facts on the target and returns them as ansible_facts.
import type { ModuleDef } from '../modules/types';
import { gatherFacts } from './gather';
import { pythonInterpreter } from '../modules/common/python';
import { SubsetError } from './subset';

/** Ansible's setup returns facts under their ansible_ names (only gather_subset and
 *  module_setup are bare); the executor strips the prefix when it stores facts, as Ansible
 *  does for every module's ansible_facts. gatherFacts() itself returns bare names. */
export function prefixFacts(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) out[k === 'gather_subset' || k === 'module_setup' ? k : `ansible_${k}`] = v;
  return out;
}

export const setupModule = {
  name: 'setup',
  checkMode: true,
  spec: {
    gather_subset: { type: 'list', elements: 'str', default: ['all'] },
    gather_timeout: { type: 'int', default: 10 },
    filter: { type: 'list', elements: 'str', default: [] },
    fact_path: { type: 'path', default: '/etc/ansible/facts.d' },
  },
  async run(args, ctx) {
    try {
      const facts = await gatherFacts(ctx.conn, {
        subset: (args.gather_subset as string[] | null) ?? ['all'],
        filter: (args.filter as string[] | null) ?? [],
        timeoutSeconds: (args.gather_timeout as number | null) ?? 10,
        factPath: (args.fact_path as string | null) ?? '/etc/ansible/facts.d',
        python: pythonInterpreter(ctx),
        warn: (m) => ctx.warn(m),
      });
      return { ansible_facts: prefixFacts(facts), changed: false };
    } catch (e) {
      if (e instanceof SubsetError) return { failed: true, changed: false, msg: e.message };
      throw e;
    }
  },
} satisfies ModuleDef;
