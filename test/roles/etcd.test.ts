// The etcd role's default scenario under `tsible test`: three containers form a TLS etcd cluster
// from the mirror's etcd release (Debian's etcd), with certificates from the kubernetes_ca role.
import { passedSteps, runRoleTest, SCENARIO_TIMEOUT_MS, startRoleMirror, tail, type RoleMirror } from './support';

let mirror: RoleMirror;
beforeAll(async () => {
  mirror = await startRoleMirror();
}, SCENARIO_TIMEOUT_MS);
afterAll(async () => {
  await mirror?.server.stop();
});

test('etcd: converge, idempotence and verify pass; the release came from the mirror', async () => {
  const run = await runRoleTest('etcd', mirror);
  expect({ code: run.code, result: run.steps.result, tail: run.code === 0 ? '' : tail(run.out) }).toEqual({ code: 0, result: 'passed', tail: '' });
  expect(passedSteps(run)).toEqual(expect.arrayContaining(['prepare', 'converge', 'idempotence', 'verify']));
  expect(mirror.server.requests.filter((r) => r.path.endsWith('.tar.gz') && r.status === 200).length).toBe(3);
}, SCENARIO_TIMEOUT_MS);
