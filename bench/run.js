#!/usr/bin/env node
// Benchmarks tsible against ansible-playbook on the same inputs (not a test):
//   node bench/run.js [engine|files|templates|all] [--tsible-only]
//   node bench/run.js ssh [file20|loop100|hosts20|hosts50|hosts200] [--tsible-only]
//   node bench/run.js k8s [--tsible-only] [--ssh] [--name LAB] [--logs DIR]   (playbooks/k8s.yml on the lab)
// Prints wall times, the ratio and, with strace installed, the processes tsible starts on
// the target per task. Needs `npm run build` and ansible-core on PATH.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const TSIBLE = path.join(ROOT, 'dist', 'cli', 'main.js');
const procs = require('./target-procs.js');
const TSIBLE_ONLY = process.argv.includes('--tsible-only');
const ENV = { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent' };

function timeIt(cmd, args, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${(r.stdout || '').slice(-2000)}\n${r.stderr}`);
  return { secs, stdout: r.stdout };
}

function recapLine(out) {
  return (out.split('\n').find((l) => /^localhost\s+:/.test(l)) || '').trim();
}

/** Times both tools on the same playbook; `tasks` is how many task runs the play makes. */
function compare(title, dir, playbook, tasks, extra = []) {
  const args = ['-i', 'localhost,', '-c', 'local', playbook, ...extra];
  const a = TSIBLE_ONLY ? null : timeIt('ansible-playbook', args, dir);
  const t = timeIt(process.execPath, [TSIBLE, ...args], dir);
  console.log(`${title}`);
  if (a) console.log(`  ansible-playbook: ${a.secs.toFixed(2)} s   ${recapLine(a.stdout)}`);
  console.log(`  tsible:           ${t.secs.toFixed(2)} s   ${recapLine(t.stdout)}`);
  if (a) console.log(`  ratio:            ${(a.secs / t.secs).toFixed(1)}x faster`);
  if (procs.straceAvailable()) {
    console.log(`  tsible on the target: ${procs.describe(procs.traceRun([TSIBLE, ...args], dir, ENV), tasks)}`);
  } else console.log('  tsible on the target: (install strace to count processes)');
  return { ansible: a ? a.secs : null, tsible: t.secs };
}

/** 500 tasks: debug, set_fact, command, and one loop of 100 items. */
function enginePlaybook() {
  const tasks = [];
  for (let i = 0; i < 500; i++) {
    if (i === 0) tasks.push(`    - debug: msg="item {{ item }}"\n      loop: "{{ range(100) | list }}"`);
    else if (i % 3 === 0) tasks.push(`    - debug: msg="task ${i} {{ counter | default(0) }}"`);
    else if (i % 3 === 1) tasks.push(`    - set_fact: counter="{{ (counter | default(0) | int) + ${i} }}"`);
    else tasks.push(`    - command: echo ${i}`);
  }
  return `- hosts: localhost\n  gather_facts: no\n  tasks:\n${tasks.join('\n')}\n`;
}

/** 100 file/copy/template/lineinfile tasks; timed on the second (unchanged) run. */
function filesPlaybook(dir) {
  fs.writeFileSync(path.join(dir, 'unit.j2'), '[Service]\nExecStart=/usr/bin/{{ name }} --id={{ idx }}\n{% for f in flags %}Environment={{ f }}\n{% endfor %}');
  const tasks = [];
  for (let i = 0; i < 25; i++) {
    tasks.push(`    - file: path={{ out }}/d${i} state=directory mode=0755`);
    tasks.push(`    - copy: content="content ${i}\\n" dest={{ out }}/d${i}/c.txt mode=0644`);
    tasks.push(`    - template: src=unit.j2 dest={{ out }}/d${i}/unit.service mode=0644\n      vars: {name: svc${i}, idx: ${i}}`);
    tasks.push(`    - lineinfile: path={{ out }}/d${i}/l.txt line="extra ${i}" create=yes mode=0644`);
  }
  return `- hosts: localhost\n  gather_facts: no\n  vars:\n    out: ${path.join(dir, 'out')}\n    flags: [A=1, B=2, C=3]\n  tasks:\n${tasks.join('\n')}\n`;
}

function engineBench() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-bench-'));
  fs.writeFileSync(path.join(dir, 'bench.yml'), enginePlaybook());
  return compare('engine: 500 tasks (debug, set_fact, command, a loop of 100 items)', dir, 'bench.yml', 599);
}

function filesBench() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-bench-'));
  fs.writeFileSync(path.join(dir, 'files.yml'), filesPlaybook(dir));
  // the first run creates everything
  if (TSIBLE_ONLY) timeIt(process.execPath, [TSIBLE, '-i', 'localhost,', '-c', 'local', 'files.yml'], dir);
  else timeIt('ansible-playbook', ['-i', 'localhost,', '-c', 'local', 'files.yml'], dir);
  return compare('files: 100 file/copy/template/lineinfile tasks, second (unchanged) run', dir, 'files.yml', 100);
}

function templatesBench() {
  return require('./templates.js').run(TSIBLE, ROOT);
}

const which = process.argv.slice(2).find((a) => !a.startsWith('--')) || 'all';
const results = {};
if (which === 'ssh') {
  require('./ssh.js')
    .run(TSIBLE, process.argv.slice(3).find((a) => !a.startsWith('--')), { tsibleOnly: TSIBLE_ONLY })
    .then((rows) => fs.writeFileSync(path.join(os.tmpdir(), 'tsible-bench-ssh.json'), JSON.stringify(rows, null, 2)))
    .catch((e) => {
      console.error(e.message);
      process.exit(1);
    });
  return;
}
if (which === 'k8s') {
  const opt = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  require('./k8s.js')
    .run(TSIBLE, { tsibleOnly: TSIBLE_ONLY, ssh: process.argv.includes('--ssh'), name: opt('--name'), logs: opt('--logs') })
    .then((results) => fs.writeFileSync(path.join(os.tmpdir(), 'tsible-bench-k8s.json'), JSON.stringify(results, null, 2)))
    .catch((e) => {
      console.error(e.message);
      process.exit(1);
    });
  return;
}
if (which === 'engine' || which === 'all') results.engine = engineBench();
if (which === 'files' || which === 'all') results.files = filesBench();
if (which === 'templates' || which === 'all') results.templates = templatesBench();
fs.writeFileSync(path.join(os.tmpdir(), 'tsible-bench-results.json'), JSON.stringify(results, null, 2));
