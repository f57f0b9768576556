// The flanneld role's default scenario under `tsible test`: the kubernetes_ca and etcd roles
// prepare two containers, flanneld (the mirror's stand-in, checked against its checksum) leases
// a subnet per node from the config the role stored in etcd.
import { passedSteps, runRoleTest, SCENARIO_TIMEOUT_MS, startRoleMirror, tail, type RoleMirror } from './support';

let mirror: RoleMirror;
beforeAll(async () => {
  mirror = await startRoleMirror();
}, SCENARIO_TIMEOUT_MS);
afterAll(async () => {
  await mirror?.server.stop();
});

test('flanneld: converge, idempotence and verify pass; flanneld came from the mirror', async () => {
  const run = await runRoleTest('flanneld', mirror);
  expect({ code: run.code, result: run.steps.result, tail: run.code === 0 ? '' : tail(run.out) }).toEqual({ code: 0, result: 'passed', tail: '' });
  expect(passedSteps(run)).toEqual(expect.arrayContaining(['prepare', 'converge', 'idempotence', 'verify']));
  expect(mirror.server.requests.filter((r) => r.path.endsWith('/flanneld-amd64') && r.status === 200).length).toBeGreaterThanOrEqual(2);
}, SCENARIO_TIMEOUT_MS);
