// The etcd role's default scenario under `tsible test`: three containers form a TLS etcd cluster
// from the mirror's etcd release (Debian's etcd), with certificates from the kubernetes_ca role.
import type { MirrorServer } from '../k8s-mirror/server';
import { passedSteps, runRoleTest, SCENARIO_TIMEOUT_MS, startRoleMirror, tail } from './support';

let mirror: MirrorServer;
beforeAll(async () => {
  mirror = await startRoleMirror();
}, SCENARIO_TIMEOUT_MS);
afterAll(async () => {
  await mirror?.stop();
});

test('etcd: converge, idempotence and verify pass; the release came from the mirror', async () => {
  const run = await runRoleTest('etcd', mirror.url);
  expect({ code: run.code, result: run.steps.result, tail: run.code === 0 ? '' : tail(run.out) }).toEqual({ code: 0, result: 'passed', tail: '' });
  expect(passedSteps(run)).toEqual(expect.arrayContaining(['prepare', 'converge', 'idempotence', 'verify']));
  expect(mirror.requests.filter((r) => r.path.endsWith('.tar.gz') && r.status === 200).length).toBe(3);
}, SCENARIO_TIMEOUT_MS);
