// Keys, CSRs and certificates made by community.crypto (ansible-playbook) are kept by tsible,
// and tsible's are kept by community.crypto: a CA with an etcd and an API server certificate,
// run by one tool and then by the other, changes nothing the second time.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const TSIBLE = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const ansible = spawnSync('ansible-playbook', ['--version']).status === 0;

const PLAYBOOK = `
- hosts: localhost
  gather_facts: false
  vars:
    d: "{{ playbook_dir }}/out"
  tasks:
    - community.crypto.openssl_privatekey: {path: "{{ d }}/ca.key", size: 2048}
    - community.crypto.openssl_csr:
        path: "{{ d }}/ca.csr"
        privatekey_path: "{{ d }}/ca.key"
        common_name: kubernetes
        basic_constraints: ['CA:TRUE']
        basic_constraints_critical: true
        key_usage: [keyCertSign, cRLSign]
        key_usage_critical: true
        use_common_name_for_san: false
    - community.crypto.x509_certificate: {path: "{{ d }}/ca.pem", csr_path: "{{ d }}/ca.csr", privatekey_path: "{{ d }}/ca.key", provider: selfsigned}
    - community.crypto.openssl_privatekey: {path: "{{ d }}/{{ item }}.key", type: ECC, curve: secp256r1}
      loop: [etcd, apiserver]
    - community.crypto.openssl_csr:
        path: "{{ d }}/{{ item.name }}.csr"
        privatekey_path: "{{ d }}/{{ item.name }}.key"
        common_name: "{{ item.name }}"
        organization_name: "{{ item.org }}"
        subject_alt_name: "{{ item.sans }}"
        key_usage: [digitalSignature, keyEncipherment]
        extended_key_usage: [serverAuth, clientAuth]
      loop:
        - {name: etcd, org: etcd, sans: ['DNS:etcd0', 'IP:10.0.0.10', 'IP:127.0.0.1']}
        - {name: apiserver, org: Kubernetes, sans: ['DNS:kubernetes', 'DNS:kubernetes.default.svc.cluster.local', 'IP:10.32.0.1']}
    - community.crypto.x509_certificate:
        path: "{{ d }}/{{ item }}.pem"
        csr_path: "{{ d }}/{{ item }}.csr"
        ownca_path: "{{ d }}/ca.pem"
        ownca_privatekey_path: "{{ d }}/ca.key"
        provider: ownca
      loop: [etcd, apiserver]
    - community.crypto.openssl_publickey: {path: "{{ d }}/sa.pub", privatekey_path: "{{ d }}/ca.key"}
`;

function runTool(tool: 'ansible' | 'tsible', dir: string): { changed: number; failed: number; out: string } {
  const env = { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_LOCALHOST_WARNING: '0', ANSIBLE_INVENTORY_UNPARSED_WARNING: '0' };
  const argv = ['-i', 'localhost,', '-c', 'local', path.join(dir, 'pb.yml')];
  const r =
    tool === 'ansible'
      ? spawnSync('ansible-playbook', argv, { encoding: 'utf8', env, timeout: 300_000 })
      : spawnSync(process.execPath, [TSIBLE, ...argv], { encoding: 'utf8', env, timeout: 300_000 });
  const recap = /localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/.exec(r.stdout ?? '');
  return { changed: Number(recap?.[1] ?? -1), failed: Number(recap?.[2] ?? -1), out: r.stdout + r.stderr };
}

(ansible ? describe : describe.skip)('community.crypto and tsible keep each other\'s files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-crypto-cross-'));
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'pb.yml'), PLAYBOOK);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['ansible', 'tsible'],
    ['tsible', 'ansible'],
  ] as const)('made by %s, then run by %s: nothing changes', (first, second) => {
    const a = runTool(first, dir);
    expect({ changed: a.changed, failed: a.failed, out: a.changed > 0 ? '' : a.out }).toEqual({ changed: 7, failed: 0, out: '' });
    const snapshot = fs.readdirSync(path.join(dir, 'out')).map((f) => [f, fs.readFileSync(path.join(dir, 'out', f)).toString('base64')]);
    const b = runTool(second, dir);
    expect({ changed: b.changed, failed: b.failed, out: b.changed === 0 ? '' : b.out }).toEqual({ changed: 0, failed: 0, out: '' });
    expect(fs.readdirSync(path.join(dir, 'out')).map((f) => [f, fs.readFileSync(path.join(dir, 'out', f)).toString('base64')])).toEqual(snapshot);
  });
});
