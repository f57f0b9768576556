// The structured results the harness judges by, fed with engine events (no printed text).
import { Script } from '../reporting/testing';
import { TEST_HELP } from '../cli/test-args';
import { failureReport, idempotenceReport } from './report/failures';
import { ResultCollector } from './results';
import { TEST_COMMANDS } from './types';

test('changed tasks, loop items and failed asserts are recorded with role, file:line and host', () => {
  const c = new ResultCollector();
  new Script(c)
    .play('Converge', ['a', 'b'])
    .start('web : Write config', 'template', { role: 'web', path: '/nowhere/web/tasks/main.yml:3' })
    .result('a', 'changed', { changed: true, diff: { before: 'x\n', after: 'y\n', before_header: 'f', after_header: 'f' } })
    .result('b', 'ok', { changed: false })
    .start('web : Users', 'user', { role: 'web', path: '/nowhere/web/tasks/main.yml:9' })
    .item('a', 'changed', { changed: true }, { itemLabel: 'bob' })
    .item('a', 'ok', { changed: false }, { itemLabel: 'amy' })
    .result('a', 'changed', { changed: true, results: [{}, {}] })
    .start('Check', 'assert', { path: '/nowhere/verify.yml:5' })
    .result('b', 'failed', { failed: true, msg: 'port is wrong', assertion: 'port == 80', evaluated_to: false })
    .result('a', 'failed', { failed: true, msg: 'ignored one' }, { ignored: true })
    .end();
  expect(c.changed.map((x) => [x.task.role, x.task.name, x.task.path, x.host, x.item])).toEqual([
    ['web', 'Write config', '/nowhere/web/tasks/main.yml:3', 'a', undefined],
    ['web', 'Users', '/nowhere/web/tasks/main.yml:9', 'a', 'bob'],
  ]);
  expect(c.failed).toEqual([
    { task: { role: undefined, name: 'Check', action: 'assert', path: '/nowhere/verify.yml:5', handler: false }, host: 'b', item: undefined, msg: 'port is wrong', assertion: 'port == 80', unreachable: false },
  ]);
  const idem = idempotenceReport(c.changed, false);
  expect(idem).toContain("* [a] task 'Write config' of role 'web' (/nowhere/web/tasks/main.yml:3) changed");
  expect(idem).toContain('-x');
  expect(idem).toContain('+y');
  expect(idem).toContain("* [a] task 'Users' of role 'web' (/nowhere/web/tasks/main.yml:9) item=bob changed");
  expect(failureReport('verify', c.failed)).toBe(
    "verify failed: 1 task(s) failed:\n  * [b] task 'Check' (/nowhere/verify.yml:5) assert failed\n      assertion: port == 80\n      msg: port is wrong",
  );
});

test('tsible test --help lists every command', () => {
  for (const c of TEST_COMMANDS) expect(TEST_HELP).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
});
