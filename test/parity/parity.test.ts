// The parity suite: every case runs under tsible and must match the reference recorded
// from real ansible-playbook; cases marked live (and a sample) also run Ansible now.
import * as fs from 'fs';
import { loadCases, referencePath } from './lib/case';
import { comparable, lastRunChanged } from './lib/compare';
import { ansibleAvailable, runCase, type CaseRecord } from './lib/run';
import { startServices } from './lib/services';

const cases = loadCases();
const live = process.env.PARITY_LIVE !== '0' && ansibleAvailable();
const only = process.env.PARITY_ONLY;

describe('parity with ansible-playbook 2.14', () => {
  test('there are cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  const selected = cases.filter((c) => !only || c.id.includes(only));
  const pending = selected.filter((c) => c.pending);
  for (const c of pending) test.skip(`${c.id} (pending: ${c.pending})`, () => undefined);
  test.each(selected.filter((c) => !c.pending).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const refFile = referencePath(c);
    if (!fs.existsSync(refFile)) throw new Error(`no reference recorded for ${c.id}: run npx ts-node test/parity/record.ts ${c.id}`);
    const reference = JSON.parse(fs.readFileSync(refFile, 'utf8')) as CaseRecord;
    const services = await startServices(c);
    try {
      const mine = runCase(c, 'tsible', services.extraArgs);
      const detail = mine.runs.map((r) => r.stdout).join('\n=== next run ===\n');
      expect({ case: c.id, result: comparable(mine) }).toEqual({ case: c.id, result: comparable(reference) });
      if (c.expectLastRunUnchanged) expect({ lastRunChanged: lastRunChanged(mine), detail }).toEqual({ lastRunChanged: 0, detail });
      if (live && c.live) {
        const now = runCase(c, 'ansible', services.extraArgs);
        expect(comparable(mine)).toEqual(comparable(now));
      }
    } finally {
      await services.stop();
    }
  });
});
