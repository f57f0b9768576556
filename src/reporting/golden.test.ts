// Golden tests: event sequences replayed into the default reporter must reproduce, byte for byte,
// what ansible-playbook 2.14 printed for the same playbooks (test/fixtures/output, see capture.sh).
import * as fs from 'fs';
import * as path from 'path';
import { DefaultReporter } from './default';
import { Capture, Script, dbg, failMsg, SKIPPED } from './testing';

const FIXTURES = path.join(__dirname, '../../test/fixtures/output');
/** Fixtures hold <REPO> where the recording checkout's path was. */
const REPO = path.resolve(__dirname, '../..');
const fixture = (file: string): string => fs.readFileSync(file, 'utf8').split('<REPO>').join(REPO);
const PB = path.join(FIXTURES, 'playbooks');
const L = 'localhost';
const H = 'a_very_long_host_name_exceeding_26';

function golden(name: string, verbosity: number, script: (s: Script) => void, opts: { hideOk?: boolean } = {}): void {
  const out = new Capture();
  const err = new Capture();
  const reporter = new DefaultReporter({
    out,
    err,
    verbosity,
    displayOkHosts: !opts.hideOk,
    displaySkippedHosts: !opts.hideOk,
  });
  script(new Script(reporter));
  expect(out.text).toBe(fixture(path.join(FIXTURES, `${name}.txt`)));
  const errFile = path.join(FIXTURES, `${name}.err.txt`);
  expect(err.text).toBe(fs.existsSync(errFile) ? fixture(errFile) : '');
}

const cmdResult = (cmd: string[], rc: number, stdout = ''): Record<string, unknown> => ({
  changed: true,
  cmd,
  delta: '0:00:00.000000',
  end: '2000-01-01 00:00:00.000000',
  msg: rc === 0 ? '' : 'non-zero return code',
  rc,
  start: '2000-01-01 00:00:00.000000',
  stderr: '',
  stderr_lines: [],
  stdout,
  stdout_lines: stdout ? stdout.split('\n') : [],
  failed: rc !== 0,
  invocation: { module_args: { _raw_params: cmd.join(' ') } },
});
const loopItem = (item: unknown, r: Record<string, unknown>): Record<string, unknown> => ({ ...r, item, ansible_loop_var: 'item' });

test('basic: debug, changed, skipped, var, set_fact', () => {
  golden('basic', 0, (s) => {
    s.play('Basic play', [L, H]);
    s.start('say hi').result(L, 'ok', dbg('hi')).result(H, 'ok', dbg('hi'));
    s.start('change something', 'command').result(L, 'changed', cmdResult(['echo', 'x'], 0, 'x')).result(H, 'changed', cmdResult(['echo', 'x'], 0, 'x'));
    s.start('skipped one').result(L, 'skipped', SKIPPED).result(H, 'skipped', SKIPPED);
    s.start('debug')
      .result(L, 'ok', { inventory_hostname: L, changed: false, _ansible_verbose_always: true })
      .result(H, 'ok', { inventory_hostname: H, changed: false, _ansible_verbose_always: true });
    s.start('set_fact', 'set_fact').result(L, 'ok', { ansible_facts: { foo: 'bar' }, changed: false }).result(H, 'ok', { ansible_facts: { foo: 'bar' }, changed: false });
    s.recap(H, 4, 1, 0, 0, 1).recap(L, 4, 1, 0, 0, 1).end();
  });
});

test('loops: items, labels, skips, no_log, failed item', () => {
  golden('loops', 0, (s) => {
    s.play('localhost', [L]);
    s.start('loop items').item(L, 'ok', loopItem('a', dbg('a'))).item(L, 'ok', loopItem('b', dbg('b')));
    s.result(L, 'ok', { changed: false, msg: 'All items completed', results: [loopItem('a', dbg('a')), loopItem('b', dbg('b'))] });
    s.start('changed loop', 'command')
      .item(L, 'changed', loopItem('x', cmdResult(['echo', 'x'], 0, 'x')))
      .item(L, 'changed', loopItem('y', cmdResult(['echo', 'y'], 0, 'y')))
      .result(L, 'changed', { changed: true, results: [loopItem('x', {}), loopItem('y', {})] });
    s.start('skip loop').item(L, 'ok', loopItem(1, dbg(1))).item(L, 'skipped', loopItem(2, SKIPPED));
    s.result(L, 'ok', { changed: false, results: [loopItem(1, {}), loopItem(2, {})] });
    s.start('all skipped loop').item(L, 'skipped', loopItem(1, SKIPPED));
    s.result(L, 'skipped', { changed: false, skipped: true, msg: 'All items skipped', results: [loopItem(1, SKIPPED)] });
    s.start('labelled')
      .item(L, 'ok', loopItem({ n: 1 }, { ...dbg('x'), _ansible_item_label: 1 }))
      .item(L, 'ok', loopItem({ n: 2 }, dbg('x')), { itemLabel: 2 })
      .result(L, 'ok', { changed: false, results: [loopItem({ n: 1 }, {})] });
    s.start('dict items', 'set_fact').item(L, 'ok', loopItem({ k: 'v' }, { ansible_facts: { y: 1 }, changed: false }));
    s.result(L, 'ok', { changed: false, results: [loopItem({ k: 'v' }, {})] });
    s.start('nolog items', 'debug', { noLog: true }).item(L, 'ok', loopItem(1, dbg(1)));
    s.result(L, 'ok', { changed: false, results: [loopItem(1, dbg(1))] });
    s.start('fail loop', 'fail').item(L, 'failed', loopItem(1, failMsg('bad 1')));
    s.result(L, 'failed', { changed: false, failed: true, msg: 'One or more items failed', results: [loopItem(1, failMsg('bad 1'))] }, { ignored: true });
    s.recap(L, 7, 1, 0, 0, 1, 0, 1).end();
  });
});

function failuresScript(s: Script): void {
  s.play('Failing play', [L, H]);
  s.start('fail ignored', 'fail', { path: `${PB}/failures.yml:5` })
    .result(L, 'failed', failMsg('boom'), { ignored: true })
    .result(H, 'failed', failMsg('boom'), { ignored: true });
  s.start('failing in block', 'fail', { path: `${PB}/failures.yml:10` }).result(L, 'failed', failMsg('in block')).result(H, 'failed', failMsg('in block'));
  s.start('rescued', 'debug', { path: `${PB}/failures.yml:15` }).result(L, 'ok', dbg(`rescued ${L}`)).result(H, 'ok', dbg(`rescued ${H}`));
  const fact = { ansible_facts: { x: 1 }, changed: false };
  s.start('always runs', 'set_fact', { path: `${PB}/failures.yml:19` }).result(L, 'ok', fact).result(H, 'ok', fact);
  s.start('fail one', 'fail', { path: `${PB}/failures.yml:22` }).result(L, 'failed', failMsg('failed on purpose')).result(H, 'skipped', SKIPPED);
  s.start('after failure', 'debug', { path: `${PB}/failures.yml:26` }).result(H, 'ok', dbg('after'));
  s.play('localhost', []);
  s.recap(H, 4, 0, 0, 0, 1, 1, 1).recap(L, 3, 0, 0, 1, 0, 1, 1).end();
}

test('failures: ignore_errors, rescue, one host failing', () => golden('failures', 0, failuresScript));
test('failures at -vvv: task paths and indented results', () => {
  golden('vvv', 3, (s) => {
    s.reporter.onPlaybookStart?.('failures.yml', 2);
    failuresScript(s);
  });
});
test('display_ok_hosts/display_skipped_hosts false: lazy banners', () => golden('hidden', 0, failuresScript, { hideOk: true }));

test('handlers, include_tasks, delegation', () => {
  golden('handlers', 0, (s) => {
    s.play('Handlers and includes', [L, H]);
    s.start('notify', 'command').result(L, 'changed', cmdResult(['echo', 'hi'], 0, 'hi')).result(H, 'changed', cmdResult(['echo', 'hi'], 0, 'hi'));
    s.start('include', 'include_tasks').result(L, 'ok', { include: 'inc.yml' }).result(H, 'ok', { include: 'inc.yml' });
    s.reporter.onIncluded?.(`${PB}/inc.yml`, [L, H], { name: 'include', action: 'include_tasks', isHandler: false, noLog: false, tags: [] });
    s.start('inner task').result(L, 'ok', dbg('inner')).result(H, 'ok', dbg('inner'));
    s.start('delegated', 'command')
      .result(L, 'changed', cmdResult(['echo', 'd'], 0, 'd'), { delegatedTo: L })
      .result(H, 'changed', cmdResult(['echo', 'd'], 0, 'd'), { delegatedTo: L });
    s.start('delegated ok').result(L, 'ok', dbg('d'), { delegatedTo: H }).result(H, 'ok', dbg('d'), { delegatedTo: H });
    s.handler('my handler').result(L, 'ok', dbg('handled')).result(H, 'ok', dbg('handled'));
    s.recap(H, 6, 2).recap(L, 6, 2).end();
  });
});

test('verbose -v: one-line JSON results, no_log censoring, skip reasons', () => {
  golden('verbose', 1, (s) => {
    s.play('localhost', [L]);
    s.start('ping it', 'ping').result(L, 'ok', { changed: false, ping: 'pong', invocation: { module_args: { data: 'pong' } }, _ansible_no_log: false });
    s.start('set_fact', 'set_fact').result(L, 'ok', { ansible_facts: { foo: 'bar' }, changed: false });
    s.start('skipme').result(L, 'skipped', SKIPPED);
    s.start('skip cmd', 'command').result(L, 'skipped', SKIPPED);
    s.start('nolog', 'set_fact', { noLog: true }).result(L, 'ok', { ansible_facts: { secret: 1 }, changed: false });
    s.start('nolog items', 'debug', { noLog: true }).item(L, 'ok', loopItem(1, dbg(1)));
    s.result(L, 'ok', { changed: false, results: [loopItem(1, dbg(1))] });
    s.start('all skipped loop').item(L, 'skipped', loopItem(1, { ...SKIPPED, skip_reason: undefined }));
    s.result(L, 'skipped', { changed: false, skipped: true, msg: 'All items skipped', results: [loopItem(1, SKIPPED)] });
    s.start('fail', 'fail').result(L, 'failed', failMsg('final'));
    s.recap(L, 4, 0, 0, 1, 3).end();
  });
});

test('--diff output before the changed line', () => {
  golden('diff', 0, (s) => {
    s.play('localhost', [L]);
    s.start('copy diff', 'copy')
      .diff(L, { before: 'old\nline2\n', after: 'new\nline2\n', before_header: '/tmp/tsible-golden/difftarget.txt', after_header: 'TMPFILE' })
      .result(L, 'changed', { changed: true, diff: [] });
    s.start('create new', 'copy')
      .diff(L, { before: '', after: 'a\nb', after_header: 'TMPFILE' })
      .result(L, 'changed', { changed: true });
    s.recap(L, 2, 2).end();
  });
});

test('unreachable host', () => {
  golden('unreachable', 0, (s) => {
    s.play('unreach,localhost', ['unreach', L]);
    s.start('ping', 'ping')
      .result('unreach', 'unreachable', {
        changed: false,
        msg: 'Failed to connect to the host via ssh: ssh: connect to host 127.0.0.9 port 1: Connection refused',
        unreachable: true,
      })
      .result(L, 'ok', { changed: false, ping: 'pong' });
    s.start('second').result(L, 'ok', dbg('still'));
    s.recap(L, 2).recap('unreach', 0, 0, 1).end();
  });
});

function retriesScript(s: Script): void {
  s.play('localhost', [L]);
  s.start('retry', 'fail', { path: `${PB}/retries.yml:4` });
  s.retry(L, 2, { ...failMsg('nope'), attempts: 1, retries: 3 }).retry(L, 1, { ...failMsg('nope'), attempts: 2, retries: 3 });
  s.result(L, 'failed', { ...failMsg('nope'), attempts: 2 }, { ignored: true });
  s.recap(L, 1, 0, 0, 0, 0, 0, 1).end();
}
test('until retries', () => golden('retries', 0, retriesScript));
test('-vv: PLAYBOOK banner, plays count, task path', () => {
  golden('vv', 2, (s) => {
    s.reporter.onPlaybookStart?.('retries.yml', 1);
    retriesScript(s);
  });
});

test('no hosts matched, warnings on stderr, long banner', () => {
  golden('nomatch', 0, (s) => {
    s.reporter.onWarning?.('Could not match supplied host pattern, ignoring: nomatch');
    s.play('Nobody', []);
    s.reporter.onNoHostsMatched?.();
    s.play('localhost', [L]);
    s.start('A task with a very long name that goes well beyond the eighty columns of the banner').result(L, 'ok', dbg('long'));
    s.start('warn me').result(L, 'ok', dbg('w'));
    s.recap(L, 2).end();
  });
});

test('-v: looped include_tasks, delegation with an address, loop item results', () => {
  golden('extra', 1, (s) => {
    s.play('localhost', [L]);
    const include = { include: 'inc.yml', changed: false };
    s.start('looped include', 'include_tasks').item(L, 'ok', loopItem(1, include)).item(L, 'ok', loopItem(2, include));
    s.result(L, 'ok', { changed: false, results: [loopItem(1, include), loopItem(2, include)] });
    s.reporter.onIncluded?.(`${PB}/inc.yml`, [L], { name: 'looped include', action: 'include_tasks', isHandler: false, noLog: false, tags: [] }, 1);
    s.reporter.onIncluded?.(`${PB}/inc.yml`, [L], { name: 'looped include', action: 'include_tasks', isHandler: false, noLog: false, tags: [] }, 2);
    s.start('inner task').result(L, 'ok', dbg('inner'));
    s.start('inner task').result(L, 'ok', dbg('inner'));
    s.start('delegated with address').result(L, 'ok', { ...dbg('d'), _ansible_delegated_vars: { ansible_host: '127.0.0.9' } }, { delegatedTo: 'unreach' });
    s.start('module warning').result(L, 'ok', dbg('w'));
    const echo = { ...cmdResult(['echo', 'a'], 0, 'a'), changed: false };
    s.start('changed loop with -v', 'command').item(L, 'ok', loopItem('a', echo));
    s.result(L, 'ok', { changed: false, results: [loopItem('a', echo)] });
    s.recap(L, 7).end();
  });
});
