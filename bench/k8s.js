// Benchmark of the whole playbooks/k8s.yml on the posts' 4-node lab (node bench/run.js k8s):
// ansible-playbook and tsible each converge a fresh lab (first run) and run again (second run).
'use strict';
// Usage: node bench/run.js k8s [--tsible-only] [--ssh] [--name NAME] [--logs DIR]
//   --tsible-only  skip ansible-playbook
//   --ssh          both tools reach the nodes over SSH (the lab's sshd, key and known_hosts);
//                  default: both use the docker connection (ansible: community.docker.docker,
//                  `docker exec` per command; tsible: the Docker Engine API's exec)
//   --name NAME    the lab's name (default k8sbench: containers tsible-k8sbench-<node>)
//   --logs DIR     keep each run's output there (kept in a temp dir anyway when a run fails)
// Each tool gets its own fresh lab (1 etcd node, 1 controller, 2 workers, the groups of
// inventories/lab) on the built-in image plus python3, which ansible's modules need. The
// artifact mirror (test/k8s-mirror) is built (cached) and served by this process. Whatever it
// creates (containers, network, volumes, the mirror server, a temp dir) goes again on success,
// failure, Ctrl-C or SIGTERM; the python3 image stays as a cache, as the built-in image does.
// A second run that changes anything fails the benchmark. Needs `npm run build`, dockerd, and
// ansible-playbook with community.docker (Debian's `ansible`).
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
require('ts-node').register({ transpileOnly: true, project: path.join(ROOT, 'tsconfig.test.json') });
const { buildMirror } = require('../test/k8s-mirror/build');
const { startMirrorServer } = require('../test/k8s-mirror/server');
const { dockerHostAddress } = require('../test/roles/support');
const { pythonImage, recapOf } = require('../test/roles/parity-support');

/** The running child (a playbook run or `tsible lab`), killed with its process group on Ctrl-C. */
const current = { child: null, interrupted: null };

/** Runs a command in its own process group; resolves with exit code, output and wall time. */
function runTimed(cmd, args, opts) {
  const start = process.hrtime.bigint();
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  current.child = child;
  let out = '';
  child.stdout.on('data', (b) => (out += b.toString()));
  child.stderr.on('data', (b) => (out += b.toString()));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      current.child = null;
      resolve({ code: code ?? (signal ? 128 : 1), out, secs: Number(process.hrtime.bigint() - start) / 1e9 });
    }),
  );
}

function tail(out, lines = 60) {
  return out.split('\n').slice(-lines).join('\n');
}

function stopIfInterrupted() {
  if (current.interrupted) throw new Error(`interrupted (${current.interrupted})`);
}

function check(what, r) {
  stopIfInterrupted();
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${tail(r.out)}`);
  return r;
}

/** The lab's CLI (`tsible lab up|down --name NAME`) in the bench's own project directory. */
function lab(ctx, action, extra = []) {
  return runTimed(process.execPath, [ctx.tsible, 'lab', action, '--name', ctx.name, ...extra], { cwd: ctx.project, env: { ...process.env, NO_COLOR: '1' } });
}

/** Everything docker holds for the lab's run id (what `lab down` removes), by kind. */
function leftovers(runId) {
  const ls = (args) => spawnSync('docker', args, { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const label = `label=org.tsible.run=${runId}`;
  return {
    containers: ls(['ps', '-aq', '--filter', label]).concat(ls(['ps', '-aq', '--filter', `name=${runId}-`])),
    networks: ls(['network', 'ls', '-q', '--filter', label]).concat(ls(['network', 'ls', '-q', '--filter', `name=${runId}`])),
    volumes: ls(['volume', 'ls', '-q', '--filter', label]).concat(ls(['volume', 'ls', '-q', '--filter', `name=${runId}-`])),
  };
}

/** `tsible lab down`, then removes by force whatever the lab's run id still names; throws if anything stays. */
async function labDown(ctx) {
  const down = await lab(ctx, 'down');
  const runId = `tsible-${ctx.name}`;
  let left = leftovers(runId);
  if (left.containers.length) spawnSync('docker', ['rm', '-f', '-v', ...new Set(left.containers)], { stdio: 'ignore' });
  if (left.networks.length) spawnSync('docker', ['network', 'rm', ...new Set(left.networks)], { stdio: 'ignore' });
  if (left.volumes.length) spawnSync('docker', ['volume', 'rm', '-f', ...new Set(left.volumes)], { stdio: 'ignore' });
  left = leftovers(runId);
  const stays = [...left.containers, ...left.networks, ...left.volumes];
  if (down.code !== 0 || stays.length) throw new Error(`lab ${ctx.name} not removed cleanly (lab down exit ${down.code}; still there: ${stays.join(' ') || 'nothing'}):\n${tail(down.out, 20)}`);
}

/** A fresh lab: `tsible lab up` writes inventories/NAME/hosts.yml; the lab's group_vars go beside it. */
async function labUp(ctx) {
  stopIfInterrupted();
  check(`tsible lab up --name ${ctx.name}`, await lab(ctx, 'up', ['--image', ctx.image, ...(ctx.ssh ? ['--ssh'] : [])]));
  const inventory = path.join(ctx.project, 'inventories', ctx.name);
  fs.cpSync(path.join(ROOT, 'inventories', 'lab', 'group_vars'), path.join(inventory, 'group_vars'), { recursive: true });
  return inventory;
}

/** The mirror's URLs and checksums as extra vars (what scripts/k8s-lab.ts passes), and where the controller keeps certificates. */
function extraVars(mirror, server, stateDir) {
  const sha256 = (rel) => {
    const f = mirror.files.find((x) => x.path === rel);
    if (!f) throw new Error(`the mirror has no ${rel}`);
    return f.sha256;
  };
  const url = (base) => `${server.url}/${base}`;
  return {
    etcd_download_url_base: url(mirror.bases.etcd),
    flannel_download_url_base: url(mirror.bases.flannel),
    flannel_checksum: `sha256:${sha256(`${mirror.bases.flannel}/v${mirror.versions.flannel}/flanneld-amd64`)}`,
    docker_download_url_base: url(mirror.bases.docker),
    docker_checksum: `sha256:${sha256(`${mirror.bases.docker}/docker-${mirror.versions.docker}.tgz`)}`,
    k8s_download_url_base: url('storage.googleapis.com/kubernetes-release/release'),
    k8s_cni_download_url_base: url(mirror.bases.cni),
    k8s_ca_conf_directory: path.join(stateDir, 'certs'),
    k8s_config_directory: path.join(stateDir, 'configs'),
  };
}

/** changed= per host of a run's PLAY RECAP, e.g. { etcd1: 12, ... }; failed/unreachable must be 0. */
function recapCounts(what, out) {
  const lines = recapOf(out);
  if (!lines.length) throw new Error(`${what}: no PLAY RECAP in the output:\n${tail(out)}`);
  const counts = {};
  for (const l of lines) {
    const host = l.split(' ')[0];
    const n = (k) => Number((new RegExp(`\\b${k}=(\\d+)`).exec(l) || [])[1] || 0);
    if (n('failed') || n('unreachable')) throw new Error(`${what}: ${l}`);
    counts[host] = { ok: n('ok'), changed: n('changed') };
  }
  return counts;
}

/** One tool on a fresh lab: first run, second run (which must change nothing), lab down. */
async function benchTool(ctx, tool) {
  const stateDir = fs.mkdtempSync(path.join(ctx.project, `${tool}-state-`));
  const varsFile = path.join(stateDir, 'vars.json');
  fs.writeFileSync(varsFile, JSON.stringify(extraVars(ctx.mirror, ctx.server, stateDir), null, 1));
  const env = {
    ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_ROLES_PATH: path.join(ROOT, 'roles'),
    // ansible at its fastest: pipelining (both connections support it), forks >= the 4 nodes
    ANSIBLE_PIPELINING: 'True', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_FORKS: '10',
  };
  delete env.ANSIBLE_FORCE_COLOR;
  const label = tool === 'ansible' ? 'ansible-playbook' : 'tsible';
  console.log(`${label}: fresh lab ${ctx.name} (${ctx.ssh ? 'ssh' : 'docker connection'}) ...`);
  const up = Date.now();
  const inventory = await labUp(ctx);
  console.log(`  lab up: ${((Date.now() - up) / 1000).toFixed(1)} s`);
  const playbook = path.join(ROOT, 'playbooks', 'k8s.yml');
  const args = ['-i', inventory, '-e', `@${varsFile}`, playbook];
  const [cmd, argv] = tool === 'ansible' ? ['ansible-playbook', args] : [process.execPath, [ctx.tsible, ...args]];
  const runs = {};
  try {
    for (const which of ['first', 'second']) {
      stopIfInterrupted();
      const r = await runTimed(cmd, argv, { cwd: ROOT, env });
      fs.writeFileSync(path.join(ctx.logDir, `${tool}-${which}.log`), r.out);
      check(`${label} ${which} run`, r);
      runs[which] = { secs: r.secs, recap: recapCounts(`${label} ${which} run`, r.out) };
      const changed = Object.entries(runs[which].recap).map(([h, c]) => `${h}=${c.changed}`).join(' ');
      console.log(`  ${which} run: ${r.secs.toFixed(1)} s   changed: ${changed}`);
    }
  } finally {
    await labDown(ctx);
  }
  const notIdempotent = Object.entries(runs.second.recap).filter(([, c]) => c.changed !== 0);
  if (notIdempotent.length) throw new Error(`${label}: the second run changed something (${notIdempotent.map(([h, c]) => `${h} changed=${c.changed}`).join(', ')})`);
  return runs;
}

function printTable(ctx, results) {
  const hosts = Object.keys(results.tsible.first.recap);
  const changed = (run) => hosts.map((h) => (run.recap[h] ? `${h}=${run.recap[h].ok}/${run.recap[h].changed}` : `${h}=?`)).join(' ');
  const rows = [['run', 'tool', 'wall time', 'ok/changed per host (PLAY RECAP)']];
  for (const which of ['first', 'second']) {
    for (const tool of ['ansible', 'tsible']) {
      const run = results[tool] && results[tool][which];
      if (run) rows.push([which, tool === 'ansible' ? 'ansible-playbook' : 'tsible', `${run.secs.toFixed(1)} s`, changed(run)]);
    }
    if (results.ansible) rows.push([which, 'ratio', `${(results.ansible[which].secs / results.tsible[which].secs).toFixed(1)}x`, '']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\nplaybooks/k8s.yml on a fresh 4-node lab per tool (${ctx.ssh ? 'both over SSH' : 'both over the docker connection'}):`);
  for (const r of rows) console.log(`  ${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`);
}

async function run(tsible, opts = {}) {
  const ctx = {
    tsible,
    name: opts.name || 'k8sbench',
    ssh: !!opts.ssh,
    project: fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-k8s-bench-')),
    server: null,
  };
  ctx.logDir = path.join(ctx.project, 'logs');
  fs.mkdirSync(ctx.logDir);
  const onSignal = (sig) => {
    if (current.interrupted) return;
    current.interrupted = sig;
    console.error(`\n${sig}: stopping the running step and removing the lab ...`);
    if (current.child) try { process.kill(-current.child.pid, 'SIGTERM'); } catch {}
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  let failed = false;
  try {
    ctx.image = pythonImage();
    ctx.mirror = buildMirror();
    ctx.server = await startMirrorServer(ctx.mirror.root, { host: '0.0.0.0', port: 0, advertise: dockerHostAddress() });
    await labDown(ctx); // a lab of this name left by a killed run
    const results = {};
    if (!opts.tsibleOnly) results.ansible = await benchTool(ctx, 'ansible');
    results.tsible = await benchTool(ctx, 'tsible');
    printTable(ctx, results);
    console.log(`  whole benchmark: ${((Date.now() - started) / 60000).toFixed(1)} min (lab up/down and the mirror included)`);
    return results;
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    try {
      await labDown(ctx);
    } finally {
      if (ctx.server) await ctx.server.stop();
      if ((failed && !current.interrupted) || opts.logs) {
        const keep = opts.logs ? path.resolve(opts.logs) : fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-k8s-bench-logs-'));
        fs.cpSync(ctx.logDir, keep, { recursive: true });
        console.error(`logs of the runs: ${keep}`);
      }
      fs.rmSync(ctx.project, { recursive: true, force: true });
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}

module.exports = { run };
