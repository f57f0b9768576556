// The module parity cases run once more over SSH (a real sshd on a loopback address, the
// controller's own machine as target): the same references as over the local connection.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { authorize, clientKey, startSshd, type Sshd } from '../support/sshd';
import { ensureRootAlias, ROOT_USER } from '../ssh/lib';
import { loadCases, referencePath } from './lib/case';
import { comparable, lastRunChanged } from './lib/compare';
import { runCase, type CaseRecord } from './lib/run';
import { startServices } from './lib/services';

const ADDR = '127.0.1.50';
const PORT = 2250;
// Local-only: cases with their own inventory (they name other hosts or connections); cases run
// in a private mount/network namespace (sshd serves the machine outside it); synchronize, which
// tsible runs on the local connection only (README "Collection modules").
const localOnly = (c: ReturnType<typeof loadCases>[number]): boolean =>
  fs.existsSync(path.join(c.dir, 'inventory')) || c.sandbox !== undefined || /(^|\/)synchronize-/.test(c.id);
const cases = loadCases().filter((c) => c.group === 'modules' && !c.pending && !localOnly(c));
const selected = cases.filter((c) => !process.env.PARITY_ONLY || c.id.includes(process.env.PARITY_ONLY));

let dir: string;
let sshd: Sshd;
let extraArgs: string[];
let env: Record<string, string>;

beforeAll(async () => {
  ensureRootAlias();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-ssh-parity-'));
  const key = clientKey(path.join(dir, 'keys'), 'id_ed25519', 'ed25519');
  sshd = await startSshd({ dir: path.join(dir, 'srv'), listen: [{ address: ADDR, port: PORT }] });
  authorize(path.join(dir, 'srv'), ROOT_USER, [key]);
  fs.mkdirSync(path.join(dir, 'home', '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'home', '.ssh', 'known_hosts'), sshd.knownHosts());
  const vars = { ansible_connection: 'ssh', ansible_host: ADDR, ansible_port: PORT, ansible_user: ROOT_USER, ansible_ssh_private_key_file: key };
  extraArgs = ['-e', JSON.stringify(vars)];
  env = { TSIBLE_SSH_HOME: path.join(dir, 'home'), ANSIBLE_HOST_KEY_CHECKING: 'True' };
});

afterAll(async () => {
  await sshd?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('module parity over SSH', () => {
  test('there are cases', () => expect(cases.length).toBeGreaterThan(100));
  test.each(selected.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const reference = JSON.parse(fs.readFileSync(referencePath(c), 'utf8')) as CaseRecord;
    const services = await startServices(c);
    try {
      const mine = runCase(c, 'tsible', [...services.extraArgs, ...extraArgs], env);
      const detail = mine.runs.map((r) => r.stdout).join('\n=== next run ===\n');
      expect({ case: c.id, result: comparable(mine), detail: mine.runs.some((r) => r.exitCode !== reference.runs[0]?.exitCode) ? detail : '' }).toEqual(
        expect.objectContaining({ case: c.id, result: comparable(reference) }),
      );
      if (c.expectLastRunUnchanged) expect({ lastRunChanged: lastRunChanged(mine), detail }).toEqual({ lastRunChanged: 0, detail });
    } finally {
      await services.stop();
    }
  });
});
