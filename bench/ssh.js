// SSH benchmark rows (node bench/run.js ssh [row]): real sshd servers on loopback addresses of this
// machine, tsible against ansible-playbook at its fastest (pipelining, ControlPersist, forks = hosts,
// no facts). Prints wall times, the ratio and tsible's peak RSS. Needs root (sshd, a uid-0 login).
'use strict';
const { execFileSync, spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const USER = 'tsible-ssh-root'; // uid 0 with /bin/sh: root's bash setup here costs ~200 ms per command
const RSS_HOOK = path.join(__dirname, 'rss-hook.js');

function setupUser() {
  if (spawnSync('id', [USER], { stdio: 'ignore' }).status !== 0) spawnSync('useradd', ['-o', '-u', '0', '-g', '0', '-M', '-d', '/root', '-s', '/bin/sh', USER]);
  execFileSync('usermod', ['-p', '*', USER]);
}

async function waitPort(address, port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((r) => {
      const s = net.connect(port, address);
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd not listening on ${address}:${port}`);
}

/** n hosts 127.0.2.1.. on port 2300, 16 listen addresses per sshd (OpenSSH's limit). */
async function startHosts(dir, n) {
  fs.mkdirSync('/run/sshd', { recursive: true });
  const hk = path.join(dir, 'ssh_host_ed25519_key');
  if (!fs.existsSync(hk)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hk]);
  const key = path.join(dir, 'id_ed25519');
  if (!fs.existsSync(key)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  fs.mkdirSync(path.join(dir, 'auth'), { recursive: true });
  fs.copyFileSync(`${key}.pub`, path.join(dir, 'auth', USER));
  const hosts = Array.from({ length: n }, (_, i) => ({ name: `b${i + 1}`, address: `127.0.2.${(i % 250) + 1}`.replace(/^127\.0\.2\./, `127.0.${2 + Math.floor(i / 250)}.`), port: 2300 }));
  const pids = [];
  for (let i = 0; i < hosts.length; i += 16) {
    const group = hosts.slice(i, i + 16);
    const cfg = path.join(dir, `sshd_${i}`);
    fs.writeFileSync(cfg, [...group.map((h) => `ListenAddress ${h.address}:${h.port}`), `HostKey ${hk}`, 'PidFile none', 'UsePAM no', 'StrictModes no', `AuthorizedKeysFile ${dir}/auth/%u`, 'PermitRootLogin yes', 'Subsystem sftp internal-sftp', 'MaxStartups 400:30:800', 'MaxSessions 30', 'UseDNS no', 'LogLevel ERROR'].join('\n') + '\n');
    const c = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], { stdio: 'ignore', detached: true });
    c.unref();
    pids.push(c.pid);
  }
  for (const h of hosts) await waitPort(h.address, h.port);
  const pub = fs.readFileSync(`${hk}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  fs.writeFileSync(path.join(dir, 'known_hosts'), hosts.map((h) => `[${h.address}]:${h.port} ${pub}`).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'inventory'), hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${USER} ansible_ssh_private_key_file=${key}`).join('\n') + '\n');
  return { hosts, stop: () => pids.forEach((p) => { try { process.kill(p, 'SIGKILL'); } catch {} }) };
}

function timed(cmd, args, cwd, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}):\n${(r.stdout || '').slice(-3000)}\n${(r.stderr || '').slice(-3000)}`);
  const rss = /TSIBLE_PEAK_RSS_KB=(\d+)/.exec(r.stderr || '');
  return { secs, rssMb: rss ? Number(rss[1]) / 1024 : undefined };
}

const TEN_TASKS = (out) => `
    - file: {path: "${out}/{{ inventory_hostname }}", state: directory, mode: "0755"}
    - copy: {content: "copy {{ inventory_hostname }}\\n", dest: "${out}/{{ inventory_hostname }}/c.txt", mode: "0644"}
    - template: {src: unit.j2, dest: "${out}/{{ inventory_hostname }}/unit.service", mode: "0644"}
    - lineinfile: {path: "${out}/{{ inventory_hostname }}/l.txt", line: "extra line", create: yes, mode: "0644"}
    - command: echo {{ inventory_hostname }}
      changed_when: false
    - stat: {path: "${out}/{{ inventory_hostname }}/c.txt"}
    - shell: test -f ${out}/{{ inventory_hostname }}/c.txt && echo present
      changed_when: false
    - file: {path: "${out}/{{ inventory_hostname }}/sub", state: directory, mode: "0700"}
    - copy: {content: "second\\n", dest: "${out}/{{ inventory_hostname }}/sub/s.txt", mode: "0600"}
    - lineinfile: {path: "${out}/{{ inventory_hostname }}/l.txt", line: "another line"}
`;

function rows(out) {
  return {
    'file20': { hosts: 1, play: Array.from({ length: 20 }, (_, i) => `    - file: {path: "${out}/f${i}", state: directory, mode: "0755"}\n`).join(''), runs: ['first'] },
    'loop100': { hosts: 1, play: `    - command: echo {{ item }}\n      loop: "{{ range(100) | list }}"\n`, runs: ['first'] },
    'hosts20': { hosts: 20, play: TEN_TASKS(out), runs: ['first', 'second'] },
    'hosts50': { hosts: 50, play: TEN_TASKS(out), runs: ['first', 'second'] },
    'hosts200': { hosts: 200, play: TEN_TASKS(out).split('\n').slice(0, 7).join('\n') + '\n', runs: ['first'], tsibleOnly: true },
  };
}

async function run(tsibleBin, which, opts = {}) {
  if (process.getuid && process.getuid() !== 0) throw new Error('the ssh benchmark starts sshd and needs root');
  setupUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-ssh-bench-'));
  const out = path.join(dir, 'out');
  const table = [];
  try {
    for (const [name, row] of Object.entries(rows(out))) {
      if (which && which !== 'all' && which !== name) continue;
      const farm = await startHosts(dir, row.hosts);
      fs.writeFileSync(path.join(dir, 'unit.j2'), '[Service]\nExecStart=/usr/bin/{{ inventory_hostname }}\n');
      fs.writeFileSync(path.join(dir, 'play.yml'), `- hosts: all\n  gather_facts: no\n  tasks:\n${row.play}`);
      const env = {
        ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        ANSIBLE_PIPELINING: 'True', ANSIBLE_SSH_ARGS: '-C -o ControlMaster=auto -o ControlPersist=60s',
        ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile=${dir}/known_hosts`, ANSIBLE_FORKS: String(row.hosts), TSIBLE_SSH_HOME: dir,
      };
      try {
        for (const label of row.runs) {
          fs.rmSync(out, { recursive: true, force: true });
          fs.mkdirSync(out);
          if (label === 'second') {
            // the first run creates everything; the timed run changes nothing
            timed(process.execPath, [tsibleBin, '-i', 'inventory', 'play.yml'], dir, env);
          }
          const t = timed(process.execPath, ['--require', RSS_HOOK, tsibleBin, '-i', 'inventory', 'play.yml'], dir, env);
          let a;
          if (!row.tsibleOnly && !opts.tsibleOnly) {
            fs.rmSync(out, { recursive: true, force: true });
            fs.mkdirSync(out);
            if (label === 'second') timed('ansible-playbook', ['-i', 'inventory', 'play.yml'], dir, env);
            a = timed('ansible-playbook', ['-i', 'inventory', 'play.yml'], dir, env);
          }
          const r = { row: `${name} (${label} run)`, tsible: t.secs, ansible: a ? a.secs : undefined, ratio: a ? a.secs / t.secs : undefined, rssMb: t.rssMb };
          table.push(r);
          console.log(`${r.row.padEnd(26)} tsible ${t.secs.toFixed(2)} s   ansible-playbook ${a ? a.secs.toFixed(2) + ' s' : row.tsibleOnly ? 'not run (over 10 min)' : 'not run'}   ${r.ratio ? r.ratio.toFixed(1) + 'x' : ''}   tsible peak RSS ${t.rssMb ? t.rssMb.toFixed(0) : '?'} MB`);
        }
      } finally {
        farm.stop();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return table;
}

module.exports = { run, startHosts, rows };
