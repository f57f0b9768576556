// `tsible test` end to end on real systemd containers (the docker driver on dockerd): two
// platforms reaching each other by name, a service seen by systemctl, privileged: true, a
// public-role style scenario, parallel scenarios with JUnit, and Ctrl-C leaving nothing behind.
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

/** Containers, networks and volumes whose name starts with the prefix. */
function resources(prefix: string): string[] {
  const names = [
    ...docker('ps', '-a', '--format', '{{.Names}}').split('\n'),
    ...docker('network', 'ls', '--format', '{{.Name}}').split('\n'),
    ...docker('volume', 'ls', '--format', '{{.Name}}').split('\n'),
  ];
  return names.filter((n) => n.startsWith(prefix));
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
    expect(resources('tsible-test-docker-')).toEqual([]);
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
    expect(resources('tsible-test-default-').concat(resources('tsible-test-privileged-'))).toEqual([]);
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

  test('Ctrl-C mid-converge removes containers, network and volumes', async () => {
    const { child, result } = start(['-s', 'docker-interrupt'], path.join(ROLES, 'sample'), box.env);
    await waitFor(() => {
      try {
        return docker('ps', '--format', '{{.Names}}').split('\n').filter((n) => n.startsWith('tsible-test-docker-interrupt-')).length === 2
          && execFileSync('pgrep', ['-f', 'sleep 53.5']).length > 0;
      } catch {
        return false;
      }
    }, 300_000);
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(99);
    expect(resources('tsible-test-docker-interrupt-')).toEqual([]);
    // the scenario's state is gone (the built-in image's build cache, if this run built it, stays)
    expect(filesUnder(path.join(box.cache, 'tsible', 'test'))).toEqual([]);
  });
});
