// `tsible test` end to end on real systemd containers (the docker driver on dockerd): two
// platforms reaching each other by name, a service seen by systemctl, privileged: true, a
// public-role style scenario, parallel scenarios with JUnit, Ctrl-C, SIGTERM or a killed tsible
// leaving nothing behind, and a destroy the Engine refuses failing the run.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { filesUnder, ROLES, sandbox, start, tsibleTest, waitFor, type Sandbox } from './support';

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

const dockerUp = (() => {
  try {
    docker('info', '--format', '{{.ServerVersion}}');
    return true;
  } catch {
    return false;
  }
})();
if (!dockerUp) process.stderr.write('docker.test.ts: skipped, dockerd is not reachable (.ci/run starts it)\n');
const describeDocker = dockerUp ? describe : describe.skip;

/** Containers, networks and volumes whose name starts with the prefix (a run id). */
function resources(prefix: string): string[] {
  const names = [
    ...docker('ps', '-a', '--format', '{{.Names}}').split('\n'),
    ...docker('network', 'ls', '--format', '{{.Name}}').split('\n'),
    ...docker('volume', 'ls', '--format', '{{.Name}}').split('\n'),
  ];
  return names.filter((n) => n.startsWith(prefix));
}

/**
 * The run ids a `tsible test` output names (create says "N instance(s) of run ID: ...").
 * Leftovers are looked for by these, never by a name prefix: other runs of a scenario of the
 * same name on this Docker host (another checkout's tests, CI) share the prefix.
 */
function runIds(out: string): string[] {
  return [...out.matchAll(/instance\(s\) of run (\S+):/g)].map((m) => m[1] as string);
}

function leftBehind(out: string, expectedRuns: number): string[] {
  const ids = runIds(out);
  expect(ids).toHaveLength(expectedRuns);
  return ids.flatMap((id) => resources(id));
}

function stateOf(cache: string, role: string, scenario: string): { run_id: string; instances: { name: string; hostVars: Record<string, string> }[] } {
  const file = filesUnder(cache).find((f) => f.includes(`/${role}-`) && f.endsWith(`/${scenario}/state.yml`));
  if (!file) throw new Error(`no state for ${role}/${scenario}`);
  return parse(fs.readFileSync(file, 'utf8'));
}

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.remove());

describeDocker('docker driver', () => {
  jest.setTimeout(600_000);

  test('two platforms share a network and reach each other by name', async () => {
    const r = await tsibleTest(['-s', 'docker'], path.join(ROLES, 'sample'), box.env);
    expect(r.out).toContain('TASK [Reach the other node by name over the scenario network]');
    expect(r.out).toMatch(/sample\/docker\s*│\s*passed/);
    expect(r.code).toBe(0);
    expect(leftBehind(r.out, 1)).toEqual([]);
    // the scenario's state is gone (the built-in image's build cache, if this run built it, stays)
    expect(filesUnder(path.join(box.cache, 'tsible', 'test'))).toEqual([]);
  });

  test('a unit started and enabled by the role is active and enabled under systemd', async () => {
    const role = path.join(ROLES, 'hello_service');
    expect((await tsibleTest(['converge'], role, box.env)).code).toBe(0);
    const state = stateOf(box.cache, 'hello_service', 'default');
    const container = state.instances[0]?.hostVars.ansible_host ?? '';
    expect(container).toMatch(/^tsible-test-default-/);
    expect(docker('exec', container, 'systemctl', 'is-active', 'tsible-hello')).toBe('active');
    expect(docker('exec', container, 'systemctl', 'is-enabled', 'tsible-hello')).toBe('enabled');
    expect(docker('exec', container, 'cat', '/proc/1/comm')).toBe('systemd');
    const idem = await tsibleTest(['idempotence'], role, box.env);
    expect(idem.code).toBe(0);
    expect((await tsibleTest(['verify'], role, box.env)).code).toBe(0);
    expect((await tsibleTest(['destroy'], role, box.env)).code).toBe(0);
    expect(resources(state.run_id)).toEqual([]);
  });

  test('parallel scenarios (default and privileged: true) with a JUnit report', async () => {
    const junit = path.join(box.arena, 'junit.xml');
    const r = await tsibleTest(['--all', '-j', '2', '--junit', junit], path.join(ROLES, 'hello_service'), box.env);
    expect(r.out).toMatch(/platform 'priv': this Docker host refuses privileged containers; running it with .* instead|platform 'priv'/);
    expect(r.out).toMatch(/hello_service\/default\s*│\s*passed/);
    expect(r.out).toMatch(/hello_service\/privileged\s*│\s*passed/);
    expect(r.code).toBe(0);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="hello_service\/default"[^>]*failures="0"/);
    expect(xml).toMatch(/<testsuite name="hello_service\/privileged"[^>]*failures="0"/);
    expect(xml).toContain('name="idempotence"');
    expect(leftBehind(r.out, 2)).toEqual([]);
  });

  test('on containers, a role that is not idempotent and a verify that fails are named task by task', async () => {
    const [idem, verify] = await Promise.all([
      tsibleTest(['-s', 'docker'], path.join(ROLES, 'nonidem'), box.env),
      tsibleTest(['-s', 'docker-verify-fails'], path.join(ROLES, 'sample'), box.env),
    ]);
    const tasks = path.join(ROLES, 'nonidem', 'tasks', 'main.yml');
    expect(idem.out).toContain(`* [nonidem-box] task 'Write a fresh token every run' of role 'nonidem' (${tasks}:7) changed`);
    expect(idem.out).toMatch(/nonidem\/docker\s*│\s*failed/);
    expect(idem.code).toBe(1);
    const verifyFile = path.join(ROLES, 'sample', 'molecule', 'docker-verify-fails', 'verify.yml');
    expect(verify.out).toContain(`* [verify-box] task 'The configuration has a port nobody set' (${verifyFile}:10) assert failed`);
    expect(verify.out).toContain('msg: sample.conf has no port 7070');
    expect(verify.code).toBe(1);
    // both failures still destroyed their containers
    expect(leftBehind(idem.out, 1).concat(leftBehind(verify.out, 1))).toEqual([]);
  });

  test('a public-role style docker scenario passes unchanged on the built-in image tagged with its name', async () => {
    const tag = 'tsible-harness/docker-debian12-ansible:latest';
    docker('tag', 'tsible/debian:12', tag);
    try {
      const r = await tsibleTest([], path.join(ROLES, 'public_style'), box.env);
      expect(r.out).toMatch(/public_style\/default\s*│\s*passed/);
      expect(r.code).toBe(0);
    } finally {
      docker('rmi', tag);
    }
  });

  /** Starts the docker-interrupt scenario and resolves once the long task runs in both containers. */
  async function midConverge(): Promise<{ child: ReturnType<typeof start>['child']; result: ReturnType<typeof start>['result']; runId: () => string; output: () => string }> {
    let out = '';
    const { child, result } = start(['-s', 'docker-interrupt'], path.join(ROLES, 'sample'), box.env);
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    const runId = () => runIds(out)[0] ?? '';
    await waitFor(() => {
      if (!runId()) return false;
      try {
        return docker('ps', '--format', '{{.Names}}').split('\n').filter((n) => n.startsWith(`${runId()}-`)).length === 2
          && execFileSync('pgrep', ['-f', 'sleep 53.5']).length > 0;
      } catch {
        return false;
      }
    }, 300_000);
    return { child, result, runId, output: () => out };
  }

  test('Ctrl-C mid-converge removes containers, network and volumes', async () => {
    const { child, result, runId } = await midConverge();
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(99);
    expect(resources(runId())).toEqual([]);
    // the scenario's state is gone (the built-in image's build cache, if this run built it, stays)
    expect(filesUnder(path.join(box.cache, 'tsible', 'test'))).toEqual([]);
  });

  test('SIGTERM to tsible test mid-converge removes what the run created', async () => {
    const { child, result, runId } = await midConverge();
    child.kill('SIGTERM');
    const r = await result;
    expect(r.out).toContain('docker-interrupt: interrupted; destroying what this run created');
    expect(r.code).toBe(99);
    expect(resources(runId())).toEqual([]);
    expect(filesUnder(path.join(box.cache, 'tsible', 'test'))).toEqual([]);
  });

  test('tsible test killed outright: its scenario process notices and destroys what the run created', async () => {
    const { child, result, runId } = await midConverge();
    const id = runId();
    child.kill('SIGKILL');
    await result;
    // nobody is left to report: the scenario's own process removes everything by itself
    await waitFor(() => resources(id).length === 0, 120_000);
    await waitFor(() => filesUnder(path.join(box.cache, 'tsible', 'test')).length === 0, 30_000);
  });

  test('a destroy the Engine refuses says what stays and fails the run; a later destroy finishes it', async () => {
    const role = path.join(ROLES, 'held_volume');
    const created = await tsibleTest(['converge'], role, box.env);
    expect(created.code).toBe(0);
    const id = runIds(created.out)[0] ?? '';
    expect(id).toMatch(/^tsible-test-default-/);
    const holder = `tsible-harness-holder-${process.pid}`;
    docker('run', '-d', '--name', holder, '-v', `${id}-data:/data`, 'tsible/debian:12', 'sleep', '300');
    try {
      const refused = await tsibleTest(['destroy'], role, box.env);
      expect(refused.out).toContain(`destroy of run ${id} failed: could not remove volume ${id}-data`);
      expect(refused.out).toMatch(/volume is in use/);
      expect(refused.out).toMatch(/held_volume\/default\s*│\s*failed/);
      expect(refused.code).toBe(1);
      // the container and network are gone; the state still names the run, so destroy can be retried
      expect(resources(id)).toEqual([`${id}-data`]);
      expect(stateOf(box.cache, 'held_volume', 'default').run_id).toBe(id);
    } finally {
      docker('rm', '-f', holder);
    }
    const again = await tsibleTest(['destroy'], role, box.env);
    expect(again.code).toBe(0);
    expect(resources(id)).toEqual([]);
  });
});
