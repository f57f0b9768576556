// The docker role's default scenario under `tsible test`: kubernetes_ca, etcd and flanneld
// prepare one container; dockerd from the mirror's static archive (Debian's Docker) starts with
// its bridge on the subnet flanneld leased.
import { passedSteps, runRoleTest, SCENARIO_TIMEOUT_MS, startRoleMirror, tail, type RoleMirror } from './support';

let mirror: RoleMirror;
beforeAll(async () => {
  mirror = await startRoleMirror();
}, SCENARIO_TIMEOUT_MS);
afterAll(async () => {
  await mirror?.server.stop();
});

test('docker: converge, idempotence and verify pass; the archive came from the mirror', async () => {
  const run = await runRoleTest('docker', mirror);
  expect({ code: run.code, result: run.steps.result, tail: run.code === 0 ? '' : tail(run.out) }).toEqual({ code: 0, result: 'passed', tail: '' });
  expect(passedSteps(run)).toEqual(expect.arrayContaining(['prepare', 'converge', 'idempotence', 'verify']));
  expect(mirror.server.requests.filter((r) => r.path.endsWith('.tgz') && r.path.includes('/docker-') && r.status === 200).length).toBe(1);
}, SCENARIO_TIMEOUT_MS);
