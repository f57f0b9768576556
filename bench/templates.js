// Template rendering benchmark: a ~300-line unit-file-style template looping over
// 100 hosts' hostvars, rendered 1,000 times by tsible's Templar and by Ansible's.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const RENDERS = 1000;

function makeTemplate() {
  const lines = ['# {{ ansible_managed }}', '[Unit]', 'Description=Kubernetes API Server', 'After=network.target etcd.service', '', '[Service]'];
  for (let i = 0; i < 120; i++) lines.push(`Environment="FLAG_${i}={{ flags['f${i % 20}'] }}"`);
  lines.push('ExecStart=/usr/local/bin/kube-apiserver \\');
  lines.push("  --etcd-servers={% for h in groups['etcd'] %}https://{{ hostvars[h]['ansible_host'] }}:2379{% if not loop.last %},{% endif %}{% endfor %} \\");
  lines.push('{% for k, v in apiserver_settings.items() | sort %}');
  lines.push('  --{{ k }}={{ v }} \\');
  lines.push('{% endfor %}');
  lines.push('  --v=2');
  for (let i = 0; i < 60; i++) lines.push(`# node block ${i}: {{ hostvars[groups['all'][${i}]]['node_labels'] | join(',') }}`);
  lines.push('{% for h in groups["all"] %}');
  lines.push('# {{ h }} {{ hostvars[h]["ansible_host"] }} {{ hostvars[h]["node_labels"] | length }} {{ "master" if h in groups["masters"] else "worker" }}');
  lines.push('{% endfor %}');
  while (lines.length < 298) lines.push(`# padding line ${lines.length} {{ cluster_name | upper }}`);
  lines.push('[Install]', 'WantedBy=multi-user.target');
  return lines.join('\n') + '\n';
}

function makeVars() {
  const hostvars = {};
  const all = [];
  for (let i = 0; i < 100; i++) {
    const h = `node${String(i + 1).padStart(3, '0')}`;
    all.push(h);
    hostvars[h] = { ansible_host: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, node_labels: [`zone=${i % 3}`, `rack=${i % 7}`, 'role=node'] };
  }
  const flags = {};
  for (let i = 0; i < 20; i++) flags[`f${i}`] = `value-${i}`;
  const apiserver_settings = {};
  for (let i = 0; i < 40; i++) apiserver_settings[`setting-${String(i).padStart(2, '0')}`] = `v${i}`;
  return {
    hostvars, groups: { all, etcd: all.slice(0, 3), masters: all.slice(0, 3) }, flags, apiserver_settings,
    cluster_name: 'lab', ansible_managed: 'Ansible managed',
  };
}

const PY = `
import json, sys, time
from ansible.template import Templar
from ansible.parsing.dataloader import DataLoader
tpl = open(sys.argv[1]).read()
data = json.load(open(sys.argv[2]))
n = int(sys.argv[3])
t = Templar(loader=DataLoader(), variables=data)
out = t.template(tpl)
start = time.time()
for _ in range(n):
    out = t.template(tpl)
print(json.dumps({"secs": time.time() - start, "len": len(out)}))
`;

exports.run = function run(_tsible, root) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-tbench-'));
  const tplPath = path.join(dir, 'unit.j2');
  const varsPath = path.join(dir, 'vars.json');
  fs.writeFileSync(tplPath, makeTemplate());
  fs.writeFileSync(varsPath, JSON.stringify(makeVars()));
  fs.writeFileSync(path.join(dir, 'bench.py'), PY);
  const python = (fs.readFileSync(require('child_process').execSync('command -v ansible-playbook', { encoding: 'utf8' }).trim(), 'utf8').split('\n')[0] || '').replace(/^#!\s*/, '').split(' ').pop() || 'python3';
  const py = spawnSync(python, [path.join(dir, 'bench.py'), tplPath, varsPath, String(RENDERS)], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(py.stderr);
  const ansible = JSON.parse(py.stdout.trim().split('\n').pop());
  const { Templar } = require(path.join(root, 'dist', 'template', 'templar.js'));
  const templar = new Templar(makeVars(), {});
  const text = fs.readFileSync(tplPath, 'utf8');
  let out = templar.template(text);
  const start = process.hrtime.bigint();
  for (let i = 0; i < RENDERS; i++) out = templar.template(text);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`templates: ${RENDERS} renders of a ${text.split('\n').length}-line template over 100 hosts' hostvars`);
  console.log(`  ansible Templar:  ${ansible.secs.toFixed(2)} s (${((ansible.secs / RENDERS) * 1000).toFixed(2)} ms/render, ${ansible.len} chars)`);
  console.log(`  tsible Templar:   ${secs.toFixed(2)} s (${((secs / RENDERS) * 1000).toFixed(2)} ms/render, ${String(out).length} chars)`);
  console.log(`  ratio:            ${(ansible.secs / secs).toFixed(1)}x faster`);
  return { ansible: ansible.secs, tsible: secs, sameLength: ansible.len === String(out).length };
};
