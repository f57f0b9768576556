// Unit tests of the reporter pieces against Python's own output (textwrap, difflib),
// plus colours on a TTY, the list formatters and the JSON reporter.
import * as fs from 'fs';
import * as path from 'path';
import { DefaultReporter } from './default';
import { unifiedDiff } from './difftext';
import { Display } from './display';
import { JsonReporter, isoMicro } from './json';
import { formatPlaybookListing, type ListedPlay } from './listing';
import { Capture, Script, dbg, failMsg, SKIPPED } from './testing';
import { wrap } from './textwrap';

const FIXTURES = path.join(__dirname, '../../test/fixtures/output');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

test('textwrap.wrap matches Python', () => {
  const cases = JSON.parse(fixture('python-textwrap.json')) as [string, string[], string?][];
  for (const [text, expected, keep] of cases) expect(wrap(text, 79, { dropWhitespace: keep === undefined })).toEqual(expected);
});

test('unified diff matches difflib.unified_diff', () => {
  const cases = JSON.parse(fixture('python-difflib.json')) as [string[], string[], string[]][];
  expect(cases.length).toBeGreaterThan(30);
  for (const [a, b, expected] of cases) expect(unifiedDiff(a, b, 'before: x', 'after: y')).toEqual(expected);
});

test('colours on a TTY, as ansible-playbook on a terminal', () => {
  const out = new Capture(true, 80);
  const s = new Script(new DefaultReporter({ out, err: new Capture() }));
  s.play('localhost', ['localhost']);
  s.start('debug').result('localhost', 'ok', dbg('hi'));
  s.start('command', 'command').result('localhost', 'changed', { changed: true, rc: 0 });
  s.start('debug').result('localhost', 'skipped', SKIPPED);
  s.start('fail', 'fail').result('localhost', 'failed', failMsg('x'), { ignored: true });
  s.recap('localhost', 3, 1, 0, 0, 1, 0, 1).end();
  expect(out.text).toBe(fixture('color.txt'));
});

test('colour is off when forced off even on a TTY; banner follows terminal width', () => {
  const out = new Capture(true, 120);
  new DefaultReporter({ out, err: new Capture(), color: false }).onPlayStart({ name: 'x', hosts: [], check: false });
  expect(out.text).toBe(`\nPLAY [x] ${'*'.repeat(119 - 8)}\n`);
  expect(out.text).not.toContain('\x1b');
});

test('warnings are wrapped at the column width and not repeated', () => {
  const err = new Capture();
  const d = new Display({ out: new Capture(), err });
  const long = 'word '.repeat(20).trim();
  d.warning(long);
  d.warning(long);
  expect(err.text.split('\n').length).toBe(3);
  expect(err.text.startsWith('[WARNING]: word word')).toBe(true);
  expect(err.text.split('\n').every((l) => l.length <= 79)).toBe(true);
});

const tagsPlays: ListedPlay[] = [
  {
    name: 'Tagged play',
    pattern: ['all'],
    tags: ['play_tag'],
    hosts: ['localhost'],
    tasks: [
      { name: 'first', tags: ['b', 'a', 'play_tag'] },
      { name: 'debug', tags: ['play_tag'] },
      { name: 'inblock', tags: ['c', 'play_tag'] },
      { name: 'include_tasks', tags: ['play_tag'] },
    ],
  },
  { name: 'localhost', pattern: ['localhost'], tags: [], hosts: ['localhost'], tasks: [{ name: 't', tags: [] }] },
];

test('--list-hosts / --list-tasks / --list-tags / --syntax-check text', () => {
  const none = { listHosts: false, listTasks: false, listTags: false };
  expect(formatPlaybookListing('tags.yml', tagsPlays, { ...none, listHosts: true })).toBe(fixture('list_hosts.txt'));
  expect(formatPlaybookListing('tags.yml', tagsPlays, { ...none, listTasks: true })).toBe(fixture('list_tasks.txt'));
  expect(formatPlaybookListing('tags.yml', tagsPlays, { ...none, listTags: true })).toBe(fixture('list_tags.txt'));
  expect(formatPlaybookListing('tags.yml', tagsPlays, none) + formatPlaybookListing('basic.yml', [], none)).toBe(fixture('syntax.txt'));
});

test('json reporter: ansible.posix.json structure', () => {
  const out = new Capture();
  const r = new JsonReporter({ out, err: new Capture(), now: () => new Date(Date.UTC(2000, 0, 1)), newId: () => 'ID' });
  r.onPlayStart({ name: 'localhost', hosts: ['localhost'], check: false, path: '/tmp/cap/p5.yml:1' });
  const task = { name: 'fail', action: 'fail', path: '/tmp/cap/p5.yml:4', isHandler: false, noLog: false, tags: [] };
  r.onTaskStart(task);
  r.onTaskResult({ host: 'localhost', task, status: 'failed', result: failMsg('final'), ignored: false });
  r.onPlaybookEnd({ hosts: { localhost: { ok: 0, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 } } });
  expect(out.text).toBe(fixture('json_fail.json'));
  expect(isoMicro(new Date(Date.UTC(2026, 10, 22, 21, 57, 20, 46)))).toBe('2026-11-22T21:57:20.046000Z');
});

test('deprecation warnings: wrapped keeping whitespace, as ansible-playbook printed them', () => {
  const err = new Capture();
  const d = new Display({ out: new Capture(), err });
  d.deprecated('"include" is deprecated, use include_tasks/import_tasks instead. See https://docs.ansible.com/ansible-core/2.14/user_guide/playbooks_reuse_includes.html for details', '2.16');
  expect(err.text).toBe(fixture('deprecation.err.txt'));
});
