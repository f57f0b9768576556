// The kubedns role's default scenario under `tsible test`: an etcd node and a controller
// prepared with kubernetes_ca, etcd and kubernetes_master; kube-dns's objects applied with the real
// kubectl through the API server stand-in, unchanged on the second run.
import { passedSteps, runRoleTest, SCENARIO_TIMEOUT_MS, startRoleMirror, tail, type RoleMirror } from './support';

let mirror: RoleMirror;
beforeAll(async () => {
  mirror = await startRoleMirror();
}, SCENARIO_TIMEOUT_MS);
afterAll(async () => {
  await mirror?.server.stop();
});

test('kubedns: converge, idempotence and verify pass; the objects were applied through the API server', async () => {
  const run = await runRoleTest('kubedns', mirror);
  expect({ code: run.code, result: run.steps.result, tail: run.code === 0 ? '' : tail(run.out) }).toEqual({ code: 0, result: 'passed', tail: '' });
  expect(passedSteps(run)).toEqual(expect.arrayContaining(['prepare', 'converge', 'idempotence', 'verify']));
}, SCENARIO_TIMEOUT_MS);
