// The kubernetes_master role's default scenario under `tsible test`: an etcd node and a
// controller; the control plane from the mirror (stand-ins for the Kubernetes programs, Debian's
// kubectl) answers the real kubectl with the admin kubeconfig the role wrote.
import { passedSteps, runRoleTest, SCENARIO_TIMEOUT_MS, startRoleMirror, tail, type RoleMirror } from './support';

let mirror: RoleMirror;
beforeAll(async () => {
  mirror = await startRoleMirror();
}, SCENARIO_TIMEOUT_MS);
afterAll(async () => {
  await mirror?.server.stop();
});

test('kubernetes_master: converge, idempotence and verify pass; the binaries came from the mirror', async () => {
  const run = await runRoleTest('kubernetes_master', mirror);
  expect({ code: run.code, result: run.steps.result, tail: run.code === 0 ? '' : tail(run.out) }).toEqual({ code: 0, result: 'passed', tail: '' });
  expect(passedSteps(run)).toEqual(expect.arrayContaining(['prepare', 'converge', 'idempotence', 'verify']));
  const fetched = mirror.server.requests.filter((r) => r.status === 200 && /\/bin\/linux\/amd64\/(kube-apiserver|kube-controller-manager|kube-scheduler|kubectl)$/.test(r.path));
  expect(fetched.length).toBe(4);
}, SCENARIO_TIMEOUT_MS);
