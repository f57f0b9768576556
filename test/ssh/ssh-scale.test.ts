// Scale over SSH: one inventory of 1,000 hosts run with forks 200 against real sshd servers (four
// sshd processes on loopback addresses, 250 inventory hosts on each through ansible_host/ansible_port).
// The run must finish with every host ok while tsible's file descriptors and RSS stay bounded, also
// under an open-file limit lower than the number of hosts.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureRootAlias, recap, ROOT_USER, SshWorld, TSIBLE_BIN } from './lib';

const HOSTS = 1000;
const FORKS = 200;
const SERVERS = ['127.0.3.1', '127.0.3.2', '127.0.3.3', '127.0.3.4'];
const PORT = 2270;
const RSS_HOOK = path.resolve(__dirname, '..', '..', 'bench', 'rss-hook.js');

let w: SshWorld;

beforeAll(async () => {
  ensureRootAlias();
  w = new SshWorld('scale');
  const key = w.key('id_ed25519');
  w.authorize(ROOT_USER, [key]);
  for (const address of SERVERS) await w.sshd([{ address, port: PORT }], ['MaxStartups 400:30:800']);
  w.trustAll();
  const lines = Array.from({ length: HOSTS }, (_, i) => {
    const name = `node${String(i + 1).padStart(4, '0')}`;
    return `${name} ansible_host=${SERVERS[i % SERVERS.length]} ansible_port=${PORT}`;
  });
  w.write('inventory', `[fleet]\n${lines.join('\n')}\n\n[fleet:vars]\nansible_user=${ROOT_USER}\nansible_ssh_private_key_file=${key}\n`);
  w.write(
    'play.yml',
    [
      '- hosts: fleet',
      '  gather_facts: false',
      '  tasks:',
      '    - name: Reach the host',
      '      ansible.builtin.ping:',
      '    - name: Run a command',
      '      ansible.builtin.command: echo {{ inventory_hostname }}',
      '      changed_when: false',
      '',
    ].join('\n'),
  );
}, 120_000);

afterAll(async () => {
  await w?.close();
});

interface Sampled {
  code: number;
  out: string;
  peakFds: number;
  peakRssMb: number;
  seconds: number;
}

/**
 * Runs tsible (under `ulimit -n` when given), sampling its open file descriptors every 50 ms;
 * peak RSS comes from the process itself.
 */
function runSampled(args: string[], fdLimit?: number): Promise<Sampled> {
  const started = Date.now();
  const argv = [process.execPath, '--require', RSS_HOOK, TSIBLE_BIN, ...args];
  const child = fdLimit
    ? spawn('/bin/sh', ['-c', `ulimit -n ${fdLimit} && exec "$@"`, 'sh', ...argv], { cwd: w.dir, env: w.env() })
    : spawn(argv[0] as string, argv.slice(1), { cwd: w.dir, env: w.env() });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let peakFds = 0;
  const timer = setInterval(() => {
    try {
      peakFds = Math.max(peakFds, fs.readdirSync(`/proc/${child.pid}/fd`).length);
    } catch {
      // the process has just exited
    }
  }, 50);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(timer);
      const rss = /TSIBLE_PEAK_RSS_KB=(\d+)/.exec(err);
      resolve({ code: code ?? -1, out: out + err, peakFds, peakRssMb: rss ? Number(rss[1]) / 1024 : Infinity, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function expectAllOk(r: Sampled, hosts: number): void {
  // on failure the first bad lines say why
  const bad = r.out.split('\n').filter((l) => /^(fatal|failed|ERROR|\[WARNING\])/.test(l)).slice(0, 5);
  expect({ code: r.code, bad }).toEqual({ code: 0, bad: [] });
  const table = recap(r.out);
  expect(Object.keys(table)).toHaveLength(hosts);
  for (const counts of Object.values(table)) expect(counts).toMatchObject({ ok: 2, changed: 0, unreachable: 0, failed: 0 });
}

const report = (what: string, r: Sampled) =>
  process.stdout.write(`ssh-scale: ${what}: ${r.seconds.toFixed(1)} s, peak ${r.peakFds} fds, peak RSS ${r.peakRssMb.toFixed(0)} MB\n`);

test('1,000 hosts with forks 200 over SSH: every host ok, memory bounded, about 0.1 MB per kept connection', async () => {
  // 100 hosts first: the difference to 1,000 is what a kept connection costs
  const small = await runSampled(['-i', 'inventory', '-f', String(FORKS), '-l', 'node00*,node0100', 'play.yml']);
  report('100 hosts', small);
  expectAllOk(small, 100);
  const r = await runSampled(['-i', 'inventory', '-f', String(FORKS), 'play.yml']);
  report(`${HOSTS} hosts, forks ${FORKS}`, r);
  expectAllOk(r, HOSTS);
  // every host keeps its one connection between tasks (under the pool's cap of 1024): one socket each
  expect(r.peakFds).toBeGreaterThanOrEqual(HOSTS);
  expect(r.peakFds).toBeLessThan(HOSTS + 100);
  const perConnectionMb = (r.peakRssMb - small.peakRssMb) / (HOSTS - 100);
  process.stdout.write(`ssh-scale: ${(perConnectionMb * 1024).toFixed(0)} KB of RSS per kept connection\n`);
  expect(r.peakRssMb).toBeLessThan(350);
  expect(perConnectionMb).toBeLessThan(0.3);
}, 600_000);

test('under a low open-file limit the pool keeps a quarter of it open between tasks and the run completes', async () => {
  const limit = 640; // kept connections at most 160, plus forks 200 in flight, plus the process's own
  const r = await runSampled(['-i', 'inventory', '-f', String(FORKS), 'play.yml'], limit);
  report(`${HOSTS} hosts, forks ${FORKS}, ulimit -n ${limit}`, r);
  expectAllOk(r, HOSTS);
  expect(r.peakFds).toBeLessThan(limit); // measured 531 on 2026-12-05
  expect(r.peakFds).toBeGreaterThan(limit / 4);
}, 600_000);
