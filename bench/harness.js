#!/usr/bin/env node
// Benchmark of `tsible test` (not a test): a 20-task role on 2 systemd containers of the
// built-in image, warm image cache, step by step: create, converge, idempotence, verify, destroy.
//   node bench/harness.js
// Needs `npm run build`, dockerd, and the built-in image (it is built on first use otherwise).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const TSIBLE = path.join(ROOT, 'dist', 'cli', 'main.js');
const ROLE = path.join(__dirname, 'harness', 'bench_role');
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-harness-bench-'));
const ENV = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache };

function step(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [TSIBLE, 'test', ...args], { cwd: ROLE, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`tsible test ${args.join(' ')} failed (${r.status}):\n${r.stdout.slice(-3000)}\n${r.stderr}`);
  return secs;
}

try {
  // warm the image cache (and check the scenario) before measuring
  step(['create']);
  step(['destroy']);
  const times = {};
  for (const s of ['create', 'converge', 'idempotence', 'verify', 'destroy']) times[s] = step([s]);
  const total = Object.values(times).reduce((a, b) => a + b, 0);
  const whole = step([]);
  console.log('tsible test of a 20-task role on 2 platforms (warm image cache), one invocation per step:');
  for (const [s, t] of Object.entries(times)) console.log(`  ${s.padEnd(12)} ${t.toFixed(2)} s`);
  console.log(`  ${'sum'.padEnd(12)} ${total.toFixed(2)} s`);
  console.log(`whole test sequence in one invocation: ${whole.toFixed(2)} s (bar: under 20 s; create under 3 s per container)`);
} finally {
  spawnSync(process.execPath, [TSIBLE, 'test', 'destroy'], { cwd: ROLE, env: ENV });
  fs.rmSync(cache, { recursive: true, force: true });
}
