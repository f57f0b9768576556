// The kubernetes_ca role's default scenario under `tsible test`: the CAs and certificates made on
// this machine with community.crypto, copied to two systemd containers, checked there with openssl.
import { passedSteps, runRoleTest, SCENARIO_TIMEOUT_MS, tail } from './support';

test('kubernetes_ca: converge, idempotence and verify pass', async () => {
  const run = await runRoleTest('kubernetes_ca', null);
  expect({ code: run.code, result: run.steps.result, tail: run.code === 0 ? '' : tail(run.out) }).toEqual({ code: 0, result: 'passed', tail: '' });
  expect(passedSteps(run)).toEqual(expect.arrayContaining(['converge', 'idempotence', 'verify']));
  expect(run.out).toContain('Idempotence completed successfully.');
}, SCENARIO_TIMEOUT_MS);
