// Declares the jest tests of one group of parity cases (one file per group lets jest
// run groups in parallel workers).
import * as fs from 'fs';
import { loadCases, referencePath } from './case';
import { comparable, lastRunChanged } from './compare';
import { ansibleAvailable, runCase, type CaseRecord } from './run';
import { startServices } from './services';

/** Where tsible runs the cases instead of the local connection (e.g. a container). */
export interface ParityTarget {
  /** Prepares the target; returns the extra arguments that send every host there, and the
   *  directory that scratch copies and service files must be in for the target to see them. */
  setup(): Promise<{ extraArgs: string[]; scratchBase?: string }>;
  teardown(): Promise<void>;
}

export function declareParitySuite(groupPrefix: (id: string) => boolean, title: string, target?: ParityTarget): void {
  const cases = loadCases().filter((c) => groupPrefix(c.id));
  let targetArgs: string[] = [];
  let scratchBase: string | undefined;
  if (target) {
    beforeAll(async () => {
      ({ extraArgs: targetArgs, scratchBase } = await target.setup());
    }, 600_000);
    afterAll(() => target.teardown(), 120_000);
  }
  const live = process.env.PARITY_LIVE !== '0' && ansibleAvailable();
  const only = process.env.PARITY_ONLY;
  describe(title, () => {
    test('there are cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });
    test('every case has a recorded reference', () => {
      expect(cases.filter((c) => !fs.existsSync(referencePath(c))).map((c) => c.id)).toEqual([]);
    });
    const selected = cases.filter((c) => !only || c.id.includes(only));
    for (const c of selected.filter((x) => x.pending)) test.skip(`${c.id} (pending: ${c.pending})`, () => undefined);
    const runnable = selected.filter((c) => !c.pending);
    if (!runnable.length) return; // PARITY_ONLY selected nothing in this group
    test.each(runnable.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const refFile = referencePath(c);
      if (!fs.existsSync(refFile)) throw new Error(`no reference recorded for ${c.id}: run npm run parity:record -- ${c.id}`);
      const reference = JSON.parse(fs.readFileSync(refFile, 'utf8')) as CaseRecord;
      const services = await startServices(c, scratchBase);
      try {
        const mine = runCase(c, 'tsible', [...services.extraArgs, ...targetArgs], {}, scratchBase);
        const detail = mine.runs.map((r) => r.stdout).join('\n=== next run ===\n');
        expect({ case: c.id, result: comparable(mine) }).toEqual({ case: c.id, result: comparable(reference) });
        if (c.expectLastRunUnchanged) expect({ lastRunChanged: lastRunChanged(mine), detail }).toEqual({ lastRunChanged: 0, detail });
        if (live && c.live && !target) {
          const now = runCase(c, 'ansible', services.extraArgs);
          expect({ case: c.id, live: comparable(mine) }).toEqual({ case: c.id, live: comparable(now) });
        }
      } finally {
        await services.stop();
      }
    });
  });
}
