// Summarises a jest --json run of the parity suite: pass/fail per case file and the
// failures grouped by their first line, so the Templar/plugin owners see what to fix.
// Usage: npx jest test/template-parity --json --outputFile=/tmp/tp.json; node lib/summary.js /tmp/tp.json
'use strict';
const fs = require('fs');

function summarise(report) {
  const perFile = new Map();
  const reasons = new Map();
  for (const suite of report.testResults) {
    for (const a of suite.assertionResults) {
      const [file, id] = a.title.split(' ');
      if (!id) continue;
      const row = perFile.get(file) || { pass: 0, fail: 0 };
      if (a.status === 'passed') row.pass++;
      else {
        row.fail++;
        const first = a.failureMessages[0].replace(/\x1b\[[0-9;]*m/g, '').split('\n')[0];
        const reason = first.replace(/String: .*/, '').replace(/'[^']*'/g, "'…'").slice(0, 120);
        const ids = reasons.get(reason) || [];
        ids.push(id);
        reasons.set(reason, ids);
      }
      perFile.set(file, row);
    }
  }
  const lines = [];
  let pass = 0, fail = 0;
  for (const [file, row] of [...perFile].sort()) {
    lines.push(`${file.padEnd(22)} pass ${String(row.pass).padStart(3)}  fail ${String(row.fail).padStart(3)}`);
    pass += row.pass; fail += row.fail;
  }
  lines.push(`${'total'.padEnd(22)} pass ${String(pass).padStart(3)}  fail ${String(fail).padStart(3)}`, '');
  for (const [reason, ids] of [...reasons].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`${String(ids.length).padStart(3)}  ${reason}\n       ${ids.slice(0, 8).join(' ')}${ids.length > 8 ? ' …' : ''}`);
  }
  return lines.join('\n');
}

if (require.main === module) console.log(summarise(JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))));
module.exports = { summarise };
