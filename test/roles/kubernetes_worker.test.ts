// The kubernetes_worker role's default scenario under `tsible test`: the CNI plugins from the
// mirror (Debian's), kubelet and kube-proxy (stand-ins) started with the kubernetes_ca role's files.
import { passedSteps, runRoleTest, SCENARIO_TIMEOUT_MS, startRoleMirror, tail, type RoleMirror } from './support';

let mirror: RoleMirror;
beforeAll(async () => {
  mirror = await startRoleMirror();
}, SCENARIO_TIMEOUT_MS);
afterAll(async () => {
  await mirror?.server.stop();
});

test('kubernetes_worker: converge, idempotence and verify pass; both services run', async () => {
  const run = await runRoleTest('kubernetes_worker', mirror);
  expect({ code: run.code, result: run.steps.result, tail: run.code === 0 ? '' : tail(run.out) }).toEqual({ code: 0, result: 'passed', tail: '' });
  expect(passedSteps(run)).toEqual(expect.arrayContaining(['prepare', 'converge', 'idempotence', 'verify']));
}, SCENARIO_TIMEOUT_MS);
