// Runs one parity case with one tool (real ansible-playbook or tsible) in a scratch
// copy of the case directory, and records what each run did.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ParityCase } from './case';
import { parseOutput, type OutputRecord } from './parse-output';
import { sandboxArgv } from './sandbox';
import { snapshotTree, type TreeEntry } from './tree';

export type Tool = 'ansible' | 'tsible';

export interface RunRecord {
  args: string[];
  exitCode: number;
  output: OutputRecord;
  tree: Record<string, TreeEntry>;
  /** Raw stdout, normalised (compared whole only for listing runs: --list-*, --syntax-check). */
  stdout: string;
}

export interface CaseRecord {
  id: string;
  tool: Tool;
  toolVersion: string;
  runs: RunRecord[];
}

const TSIBLE_BIN = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli', 'main.js');
const DEFAULT_INVENTORY = 'localhost ansible_connection=local\n';

export function ansibleAvailable(): boolean {
  return spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0;
}

function toolVersion(tool: Tool): string {
  if (tool === 'tsible') return 'tsible';
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  return (r.stdout.split('\n')[0] ?? '').trim();
}

function copyDir(src: string, dest: string): void {
  fs.cpSync(src, dest, { recursive: true, verbatimSymlinks: true });
}

/** `scratchBase`: where the scratch copy is made (default: the OS temp dir). */
export function runCase(c: ParityCase, tool: Tool, extraArgs: string[] = [], extraEnv: Record<string, string> = {}, scratchBase = os.tmpdir()): CaseRecord {
  const scratch = fs.mkdtempSync(path.join(scratchBase, `parity-${tool}-`));
  const work = path.join(scratch, 'case');
  copyDir(c.dir, work);
  fs.mkdirSync(path.join(work, 'out'), { recursive: true });
  if (!fs.existsSync(path.join(work, 'inventory'))) fs.writeFileSync(path.join(work, 'inventory'), DEFAULT_INVENTORY);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    NO_COLOR: '1',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_DEPRECATION_WARNINGS: '0',
    ANSIBLE_LOCALHOST_WARNING: '0',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: '0',
    ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    ANSIBLE_LOCAL_TEMP: path.join(scratch, 'ansible-tmp'),
    ANSIBLE_REMOTE_TEMP: path.join(scratch, 'ansible-remote-tmp'),
    ...c.env,
    ...extraEnv,
  };
  delete env.ANSIBLE_CONFIG;
  if (fs.existsSync(path.join(work, 'ansible.cfg'))) env.ANSIBLE_CONFIG = path.join(work, 'ansible.cfg');
  const runs: RunRecord[] = [];
  for (const args of c.runs) {
    const argv = ['-i', 'inventory', 'playbook.yml', ...args, ...extraArgs];
    const command = tool === 'ansible' ? ['ansible-playbook', ...argv] : [process.execPath, TSIBLE_BIN, ...argv];
    const [exe, ...rest] = c.sandbox ? sandboxArgv(c.sandbox, scratch, command) : command;
    const r = spawnSync(exe as string, rest, { cwd: work, env, encoding: 'utf8', timeout: 300_000 });
    const stdout = (r.stdout ?? '').split(work).join('<SCRATCH>');
    runs.push({
      args,
      exitCode: r.status ?? -1,
      output: parseOutput(r.stdout ?? '', work),
      tree: snapshotTree(path.join(work, 'out'), work, c.crypto),
      stdout: stdout + (r.stderr ? `\n--- stderr ---\n${r.stderr.split(work).join('<SCRATCH>')}` : ''),
    });
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  return { id: c.id, tool, toolVersion: toolVersion(tool), runs };
}
