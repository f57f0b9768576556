// Counts the processes a tsible run starts on the target (not a test): runs it once more
// under `strace -f`, then counts every process created by something other than tsible's
// own node process (its threads included), i.e. by the target shells and what they ran.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function straceAvailable() {
  return spawnSync('strace', ['-V'], { encoding: 'utf8' }).status === 0;
}

/**
 * Parses an `strace -f -e trace=execve,clone,clone3,fork,vfork` log: processes created by
 * node (its shells) and by the rest (the target side), and the programs the target ran.
 */
function countProcesses(log) {
  const lines = log.split('\n');
  const first = /^(\d+) /.exec(lines[0] || '');
  const node = new Set(first ? [first[1]] : []);
  let shells = 0;
  let target = 0;
  const programs = {};
  const pending = new Map();
  for (const line of lines) {
    const m = /^(\d+) +(.*)$/.exec(line);
    if (!m) continue;
    const pid = m[1];
    let call = m[2];
    // a call interrupted by another process's line comes back as "<... name resumed>"
    if (call.endsWith('<unfinished ...>')) {
      pending.set(pid, call.slice(0, -'<unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(call);
    if (resumed) {
      call = (pending.get(pid) || '') + resumed[1];
      pending.delete(pid);
    }
    const created = /^(?:clone3?|vfork|fork)\(.*=\s*(\d+)$/.exec(call);
    if (created) {
      if (call.includes('CLONE_THREAD')) {
        if (node.has(pid)) node.add(created[1]);
        continue;
      }
      if (node.has(pid)) shells++;
      else target++;
      continue;
    }
    // execvp tries each PATH entry: only the successful execve started a program
    const exec = /^execve\("([^"]+)".*= 0$/.exec(call);
    if (exec && !node.has(pid)) {
      const name = path.basename(exec[1]);
      programs[name] = (programs[name] || 0) + 1;
    }
  }
  return { shells, target, programs };
}

/** Runs `node args...` under strace in `cwd`; returns the counts. */
function traceRun(nodeArgs, cwd, env) {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-strace-')), 'trace.log');
  const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve,clone,clone3,fork,vfork', '-o', log, process.execPath, ...nodeArgs], {
    cwd, env, encoding: 'utf8', maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`traced run failed (${r.status}): ${r.stderr}`);
  const counts = countProcesses(fs.readFileSync(log, 'utf8'));
  fs.rmSync(path.dirname(log), { recursive: true, force: true });
  return counts;
}

/** One line for the report: processes per task on the target, and which programs. */
function describe(counts, tasks) {
  const top = Object.entries(counts.programs).sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p} ${n}`).join(', ');
  return `${(counts.target / tasks).toFixed(2)} per task (${counts.target} processes for ${tasks} task runs; ${counts.shells} shell(s) started; programs: ${top || 'none'})`;
}

module.exports = { straceAvailable, countProcesses, traceRun, describe };
