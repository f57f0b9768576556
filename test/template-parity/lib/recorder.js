// Runs real ansible-playbook over the parity cases: builds one playbook (one task per
// case), runs it once with the parity_recorder callback and collects the outcomes.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const YAML = require('yaml');

const SUITE_DIR = path.resolve(__dirname, '..');
const INVENTORIES = ['inventory.ini', 'inventory-fleet.ini'];
const ENV_FOR_CASES = { TP_ENV_VALUE: 'from-the-environment', TP_ENV_EMPTY: '' };

/** Every case of cases/*.yml, in file order, with its source file. */
function loadCases() {
  const dir = path.join(SUITE_DIR, 'cases');
  const cases = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yml')).sort()) {
    const list = YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8')) || [];
    for (const c of list) cases.push({ ...c, source: file });
  }
  const seen = new Set();
  for (const c of cases) {
    if (!c.id || seen.has(c.id)) throw new Error(`case id missing or duplicated: ${c.id} in ${c.source}`);
    seen.add(c.id);
    if ([c.expr, c.string, c.template, c.file, c.when].filter((x) => x !== undefined).length !== 1) {
      throw new Error(`case ${c.id}: exactly one of expr/string/template/file/when`);
    }
  }
  return cases;
}

/** 'value' cases compare a native value + type ('when' ones a bool); 'text' cases compare rendered bytes. */
function caseKind(c) {
  return c.expr !== undefined || c.string !== undefined || c.when !== undefined ? 'value' : 'text';
}

/** The raw string the templar sees for a value case. */
function valueSource(c) {
  return c.expr !== undefined ? `{{ ${c.expr} }}` : c.string;
}

/** A digest of the case definition: a changed case must be re-recorded. */
function caseDigest(c) {
  const { source, live, collection, note, ...def } = c;
  let body = JSON.stringify(def);
  if (c.file) body += fs.readFileSync(path.join(SUITE_DIR, 'templates', c.file), 'utf8');
  return crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
}

function inlineTemplatePath(workDir, c) {
  return path.join(workDir, 'inline', `${c.id}.j2`);
}

function buildTask(c, workDir) {
  const task = { name: c.id, ignore_errors: true };
  if (c.vars) task.vars = { ...c.vars };
  if (c.when !== undefined) {
    // A `when:` case: the task runs (value True) or is skipped (value False).
    task.when = c.when;
    task.debug = { msg: "{{ {'value': true, 'type': 'bool'} | to_json }}" };
  } else if (caseKind(c) === 'value') {
    task.vars = { ...(task.vars || {}), tp_value: valueSource(c) };
    task.debug = { msg: "{{ {'value': tp_value, 'type': tp_value | type_debug} | to_json }}" };
  } else {
    const src = c.file ? path.join(SUITE_DIR, 'templates', c.file) : inlineTemplatePath(workDir, c);
    task.template = { ...(c.options || {}), src, dest: path.join(workDir, 'out', `${c.id}.txt`) };
  }
  return task;
}

function buildPlaybook(cases, workDir) {
  const groupsTask = {
    name: '__groups__',
    debug: { msg: "{{ {'value': groups, 'type': 'dict'} | to_json }}" },
  };
  return [
    {
      name: 'template parity',
      hosts: 'localhost',
      gather_facts: false,
      vars_files: [path.join(SUITE_DIR, 'vars.yml')],
      tasks: [groupsTask, ...cases.map((c) => buildTask(c, workDir))],
    },
  ];
}

/** Runs ansible-playbook on the cases; returns {groups, inventory, ansibleVersion, results}. */
function runAnsible(cases, opts = {}) {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-record-'));
  fs.mkdirSync(path.join(workDir, 'out'));
  fs.mkdirSync(path.join(workDir, 'inline'));
  for (const c of cases) if (c.template !== undefined) fs.writeFileSync(inlineTemplatePath(workDir, c), c.template);
  // The playbook must sit in the suite dir: lookups resolve files/ and templates/ from the playbook dir.
  const playbook = path.join(SUITE_DIR, `_playbook_${process.pid}.yml`);
  fs.writeFileSync(playbook, JSON.stringify(buildPlaybook(cases, workDir), null, 1));
  const resultsFile = path.join(workDir, 'results.json');
  const inv = INVENTORIES.flatMap((i) => ['-i', path.join(SUITE_DIR, i)]);
  const env = {
    ...process.env,
    ...ENV_FOR_CASES,
    TP_RESULTS: resultsFile,
    ANSIBLE_CALLBACK_PLUGINS: path.join(__dirname, 'callback'),
    ANSIBLE_CALLBACKS_ENABLED: 'parity_recorder',
    ANSIBLE_STDOUT_CALLBACK: 'minimal',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCALHOST_WARNING: '0',
  };
  try {
    execFileSync('ansible-playbook', [...inv, playbook], { cwd: SUITE_DIR, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26, timeout: opts.timeoutMs || 1_200_000 });
  } catch (err) {
    if (!fs.existsSync(resultsFile)) throw new Error(`ansible-playbook failed: ${err.stderr || err.message}`);
  } finally {
    fs.rmSync(playbook, { force: true });
  }
  const raw = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  const results = {};
  for (const c of cases) {
    const r = raw[c.id];
    const entry = { digest: caseDigest(c) };
    if (!r) entry.failed = true, entry.error = 'no result (task not run)';
    else if (r.failed) Object.assign(entry, { failed: true, error: r.error });
    else if (r.skipped) Object.assign(entry, { failed: false, value: false, type: 'bool', repr: 'False' });
    else if (caseKind(c) === 'value') Object.assign(entry, { failed: false, value: r.value, type: r.type, repr: r.repr });
    else Object.assign(entry, { failed: false, text: fs.readFileSync(path.join(workDir, 'out', `${c.id}.txt`), 'utf8') });
    results[c.id] = entry;
  }
  const inventoryDump = JSON.parse(execFileSync('ansible-inventory', [...inv, '--list'], { cwd: SUITE_DIR, env, maxBuffer: 1 << 26 }).toString());
  const version = execFileSync('ansible-playbook', ['--version'], { env }).toString().split('\n')[0].trim();
  if (!opts.keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
  return { ansibleVersion: version, groups: raw.__groups__ && raw.__groups__.value, hostvars: inventoryDump._meta.hostvars, results };
}

module.exports = { SUITE_DIR, ENV_FOR_CASES, loadCases, caseKind, valueSource, caseDigest, runAnsible };

/** CLI: `node lib/recorder.js [--only id,id] [out.json]`; --only re-records those cases into the existing file. */
function main(argv) {
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? new Set(String(argv[onlyIdx + 1] || '').split(',').filter(Boolean)) : undefined;
  const positional = argv.filter((a, i) => a !== '--only' && i !== onlyIdx + 1 || onlyIdx < 0 && a !== '--only');
  const out = positional[0] || path.join(SUITE_DIR, 'reference.json');
  const all = loadCases();
  const cases = only ? all.filter((c) => only.has(c.id)) : all;
  const started = Date.now();
  const rec = runAnsible(cases, { keepWorkDir: !!process.env.TP_KEEP });
  const previous = only && fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')).cases : {};
  const merged = {};
  for (const c of all) if (rec.results[c.id] || previous[c.id]) merged[c.id] = rec.results[c.id] || previous[c.id];
  const reference = { ansible_version: rec.ansibleVersion, groups: rec.groups, hostvars: rec.hostvars, cases: merged };
  fs.writeFileSync(out, JSON.stringify(reference, null, 1) + '\n');
  const unexpected = cases.filter((c) => rec.results[c.id].failed && !c.expect_error).map((c) => `${c.id}: ${String(rec.results[c.id].error).split('\n')[0]}`);
  const notFailing = cases.filter((c) => c.expect_error && !rec.results[c.id].failed).map((c) => c.id);
  console.log(`recorded ${cases.length} cases in ${((Date.now() - started) / 1000).toFixed(0)}s -> ${out}`);
  if (unexpected.length) console.log(`UNEXPECTED FAILURES (${unexpected.length}):\n  ` + unexpected.join('\n  '));
  if (notFailing.length) console.log(`expect_error but succeeded: ${notFailing.join(', ')}`);
}

if (require.main === module) main(process.argv.slice(2));
