// The main job on one machine without internet: builds the release mirror (test/k8s-mirror),
// serves it to the lab's containers, creates the lab (`tsible lab up`) and runs
// playbooks/k8s.yml on it with the mirror's URLs. Arguments after the script go to the playbook
// run (`npm run k8s:lab -- --tags role-docker`, `-- --check --diff`).
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildMirror } from '../test/k8s-mirror/build';
import { startMirrorServer } from '../test/k8s-mirror/server';
import { REPO, roleMirrorVars } from '../test/roles/support';

const CLI = path.join(REPO, 'dist', 'cli', 'main.js');

/** Runs the CLI without blocking this process, which serves the mirror meanwhile. */
function tsible(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: 'inherit' });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

/** The address the lab's nodes reach this machine at: their network's gateway. */
function labGateway(): string {
  const out = execFileSync('docker', ['inspect', 'tsible-lab-etcd1', '--format', '{{range .NetworkSettings.Networks}}{{.Gateway}} {{end}}'], { encoding: 'utf8' });
  const gateway = out.trim().split(/\s+/)[0];
  if (!gateway) throw new Error(`no gateway on the lab's network: ${out}`);
  return gateway;
}

async function main(): Promise<number> {
  const up = await tsible(['lab', 'up']);
  if (up !== 0) return up;
  const mirror = buildMirror();
  const server = await startMirrorServer(mirror.root, { host: '0.0.0.0', port: 0, advertise: labGateway() });
  try {
    const vars = roleMirrorVars(server.url, mirror);
    const varsFile = path.join(REPO, '.tsible', 'lab-k8s', 'mirror.json');
    fs.mkdirSync(path.dirname(varsFile), { recursive: true });
    fs.writeFileSync(varsFile, JSON.stringify(vars, null, 2));
    return await tsible([path.join('playbooks', 'k8s.yml'), '-i', path.join('inventories', 'lab'), '-e', `@${varsFile}`, ...process.argv.slice(2)]);
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`k8s-lab: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
