// Records the timing-callback golden cases from ansible-playbook:
//   npx ts-node --transpile-only test/callbacks/record.ts [filter]
// A recording whose summary order differs from the case's `order` (the machine was too busy for the
// sleeps to decide it) is refused; run it again on a quieter machine.
import { comparable, loadCases, maskClock, runCase, summaryRows, writeReference } from './lib';

const filter = process.argv[2] ?? '';
let failed = false;
for (const c of loadCases()) {
  if (!c.name.includes(filter)) continue;
  const out = runCase(c, 'ansible');
  const order = summaryRows(out.stdout).map((r) => r.name);
  if (c.order && JSON.stringify(order) !== JSON.stringify(c.order)) {
    process.stderr.write(`${c.name}: summary order ${JSON.stringify(order)} is not ${JSON.stringify(c.order)}; not recorded\n`);
    failed = true;
    continue;
  }
  writeReference(c, { code: out.code, stdout: comparable(c, out.stdout), stderr: maskClock(out.stderr) });
  process.stdout.write(`${c.name}: recorded (exit ${out.code})\n`);
}
process.exitCode = failed ? 1 : 0;
