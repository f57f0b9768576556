// The main job on one machine without internet: builds the release mirror (test/k8s-mirror),
// serves it to the lab's containers, creates the lab (`tsible lab up`) and runs
// playbooks/k8s.yml on it with the mirror's URLs. Arguments after the script go to the playbook
// run (`npm run k8s:lab -- --tags role-docker`, `-- --check --diff`).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, startRoleMirror } from '../test/roles/support';

const CLI = path.join(REPO, 'dist', 'cli', 'main.js');

function tsible(args: string[]): number {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, stdio: 'inherit' });
  return r.status ?? 1;
}

async function main(): Promise<number> {
  const mirror = await startRoleMirror();
  try {
    const up = tsible(['lab', 'up']);
    if (up !== 0) return up;
    const m = mirror.env;
    const vars = {
      etcd_download_url_base: `${m.TSIBLE_K8S_MIRROR}/github.com/etcd-io/etcd/releases/download`,
      flannel_download_url_base: `${m.TSIBLE_K8S_MIRROR}/github.com/flannel-io/flannel/releases/download`,
      flannel_checksum: `sha256:${m.TSIBLE_K8S_FLANNELD_SHA256}`,
      docker_download_url_base: `${m.TSIBLE_K8S_MIRROR}/download.docker.com/linux/static/stable/x86_64`,
      docker_checksum: `sha256:${m.TSIBLE_K8S_DOCKER_SHA256}`,
      k8s_download_url_base: `${m.TSIBLE_K8S_MIRROR}/storage.googleapis.com/kubernetes-release/release`,
    };
    const varsFile = path.join(REPO, '.tsible', 'lab-k8s', 'mirror.json');
    fs.mkdirSync(path.dirname(varsFile), { recursive: true });
    fs.writeFileSync(varsFile, JSON.stringify(vars, null, 2));
    return tsible([path.join('playbooks', 'k8s.yml'), '-i', path.join('inventories', 'lab'), '-e', `@${varsFile}`, ...process.argv.slice(2)]);
  } finally {
    await mirror.server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`k8s-lab: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
