// `tsible lab up --ssh`: a key pair for the lab, the public key in each node's root account,
// sshd enabled and started, and each node's own host key recorded in the lab's known_hosts.
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as path from 'path';
import { utils as sshUtils } from 'ssh2';
import { runContainerExec } from '../connection/docker/exec';
import { TsibleError } from '../errors';
import type { LabHost, LabSshAccess } from './inventory';

const ENABLE_SSHD = [
  'set -e',
  'umask 077',
  'mkdir -p /root/.ssh',
  'cat > /root/.ssh/authorized_keys',
  'systemctl enable --now ssh.service >/dev/null 2>&1',
  'cat /etc/ssh/ssh_host_ed25519_key.pub',
].join('\n');

/** The lab's key pair (made once; kept until `lab down`). */
function labKey(stateDir: string, labName: string): { privateKeyFile: string; publicKey: string } {
  const privateKeyFile = path.join(stateDir, 'id_ed25519');
  if (!fs.existsSync(privateKeyFile)) {
    const pair = sshUtils.generateKeyPairSync('ed25519', { comment: `tsible-lab-${labName}` });
    fs.writeFileSync(privateKeyFile, pair.private, { mode: 0o600 });
    fs.writeFileSync(`${privateKeyFile}.pub`, `${pair.public}\n`, { mode: 0o644 });
  }
  return { privateKeyFile, publicKey: fs.readFileSync(`${privateKeyFile}.pub`, 'utf8') };
}

export async function enableLabSsh(docker: Docker, hosts: readonly LabHost[], stateDir: string, labName: string): Promise<LabSshAccess> {
  const { privateKeyFile, publicKey } = labKey(stateDir, labName);
  const lines = await Promise.all(
    hosts.map(async (h) => {
      const r = await runContainerExec(docker, h.container, { cmd: ['/bin/sh', '-c', ENABLE_SSHD], stdin: publicKey });
      if (r.rc !== 0) throw new TsibleError('DRIVER', `lab node ${h.node.name}: could not start sshd: ${r.stderr.trim() || `rc ${r.rc}`}`);
      if (!h.address) throw new TsibleError('DRIVER', `lab node ${h.node.name} has no address on the lab network`);
      const [type, key] = r.stdout.trim().split(/\s+/);
      return `${h.address} ${type} ${key}`;
    }),
  );
  const knownHostsFile = path.join(stateDir, 'known_hosts');
  fs.writeFileSync(knownHostsFile, lines.join('\n') + '\n', { mode: 0o644 });
  return { privateKeyFile, knownHostsFile };
}
