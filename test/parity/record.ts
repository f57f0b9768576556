// Re-records the reference results of the parity suite from real ansible-playbook:
//   npx ts-node test/parity/record.ts [substring-of-case-id ...]
// Needs ansible-core 2.14 (apt-get install --no-install-recommends ansible-core).
import * as fs from 'fs';
import { loadCases, referencePath, REFERENCE_DIR } from './lib/case';
import { ansibleAvailable, runCase } from './lib/run';
import { startServices } from './lib/services';

async function main(): Promise<void> {
  if (!ansibleAvailable()) throw new Error('ansible-playbook is not installed');
  const filters = process.argv.slice(2);
  const cases = loadCases().filter((c) => !filters.length || filters.some((f) => c.id.includes(f)));
  fs.mkdirSync(REFERENCE_DIR, { recursive: true });
  for (const c of cases) {
    const services = await startServices(c);
    try {
      const rec = runCase(c, 'ansible', services.extraArgs);
      fs.writeFileSync(referencePath(c), JSON.stringify(rec, null, 1) + '\n');
      process.stdout.write(`recorded ${c.id}: exit ${rec.runs.map((r) => r.exitCode).join(',')}\n`);
    } finally {
      await services.stop();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
