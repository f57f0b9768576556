// Real-host tests of the file modules: temp dirs, the local connection, check and diff modes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateArgs } from '../args';
import { makeTestContext } from '../testing';
import type { ModuleDef, ModuleResult } from '../types';
import { fileModules } from './index';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(name: string, raw: Record<string, unknown>, opts: { check?: boolean; diff?: boolean } = {}): Promise<ModuleResult> {
  const m = fileModules.find((x) => x.name === name) as ModuleDef;
  const ctx = makeTestContext({ ...opts, controllerDir: dir });
  return m.run(validateArgs(name, m.spec, raw, m.constraints), ctx);
}
const p = (...parts: string[]) => path.join(dir, ...parts);
const modeOf = (f: string) => (fs.lstatSync(f).mode & 0o7777).toString(8);

test('file: directory, touch, link, hard, absent with check mode and idempotence', async () => {
  expect((await run('file', { path: p('a/b'), state: 'directory', mode: '0750' }, { check: true })).changed).toBe(true);
  expect(fs.existsSync(p('a'))).toBe(false);
  const r1 = await run('file', { path: p('a/b'), state: 'directory', mode: '0750' });
  expect(r1).toMatchObject({ changed: true, state: 'directory', mode: '0750' });
  expect(modeOf(p('a'))).toBe('750');
  expect((await run('file', { path: p('a/b'), state: 'directory', mode: '0750' })).changed).toBe(false);
  expect((await run('file', { path: p('f'), state: 'touch', mode: 'u=rw,g=r,o=' })).changed).toBe(true);
  expect(modeOf(p('f'))).toBe('640');
  const link = await run('file', { path: p('l'), src: 'f', state: 'link' });
  expect(link).toMatchObject({ changed: true, state: 'link', src: 'f' });
  expect(fs.readlinkSync(p('l'))).toBe('f');
  expect((await run('file', { path: p('l'), src: 'f', state: 'link' })).changed).toBe(false);
  expect((await run('file', { path: p('h'), src: p('f'), state: 'hard' })).state).toBe('hard');
  expect(await run('file', { path: p('nothere'), state: 'file' })).toMatchObject({ failed: true, msg: `file (${p('nothere')}) is absent, cannot continue` });
  const rm = await run('file', { path: p('a'), state: 'absent' }, { diff: true });
  expect(rm).toMatchObject({ changed: true, state: 'absent' });
  expect(fs.existsSync(p('a'))).toBe(false);
  expect((await run('file', { path: p('a'), state: 'absent' })).changed).toBe(false);
});

test('copy: content, check mode, diff, backup, validate, directories', async () => {
  const dest = p('c.txt');
  const chk = await run('copy', { content: 'hi\n', dest }, { check: true, diff: true });
  expect(chk).toMatchObject({ changed: true, diff: [{ before: '', after: 'hi\n' }] });
  expect(fs.existsSync(dest)).toBe(false);
  const r1 = await run('copy', { content: 'hi\n', dest, mode: 0o600 });
  expect(r1).toMatchObject({ changed: true, checksum: '55ca6286e3e4f4fba5d0448333fa99fc5a404a73', mode: '0600', size: 3 });
  expect((await run('copy', { content: 'hi\n', dest, mode: 0o600 })).changed).toBe(false);
  const r3 = await run('copy', { content: 'bye\n', dest, backup: true });
  expect(fs.readFileSync(r3.backup_file as string, 'utf8')).toBe('hi\n');
  expect(await run('copy', { content: 'x', dest, validate: 'false %s' })).toMatchObject({ failed: true, msg: 'failed to validate' });
  expect(fs.readFileSync(dest, 'utf8')).toBe('bye\n');
  fs.mkdirSync(p('files/tree/sub'), { recursive: true });
  fs.writeFileSync(p('files/tree/sub/x'), Buffer.from([0, 1, 2, 255]));
  expect((await run('copy', { src: 'tree/', dest: p('out') })).changed).toBe(true);
  expect(fs.readFileSync(p('out/sub/x'))).toEqual(Buffer.from([0, 1, 2, 255]));
  expect((await run('copy', { src: 'tree/', dest: p('out') })).changed).toBe(false);
  expect(await run('copy', { dest })).toMatchObject({ failed: true, msg: 'src (or content) is required' });
});

test('lineinfile and blockinfile: messages, insert positions, absent', async () => {
  const f = p('conf');
  fs.writeFileSync(f, 'a=1\nb=2\n');
  expect(await run('lineinfile', { path: f, line: 'c=3' })).toMatchObject({ changed: true, msg: 'line added' });
  expect(await run('lineinfile', { path: f, line: 'c=3' })).toMatchObject({ changed: false, msg: '' });
  expect(await run('lineinfile', { path: f, regexp: '^b=', line: 'b=9' })).toMatchObject({ msg: 'line replaced' });
  expect(await run('lineinfile', { path: f, line: 'top', insertbefore: 'BOF' })).toMatchObject({ changed: true });
  expect(await run('lineinfile', { path: f, regexp: '^top', state: 'absent' })).toMatchObject({ msg: '1 line(s) removed', found: 1 });
  expect(fs.readFileSync(f, 'utf8')).toBe('a=1\nb=9\nc=3\n');
  expect(await run('lineinfile', { path: p('missing'), line: 'x' })).toMatchObject({ failed: true, rc: 257 });
  expect((await run('blockinfile', { path: f, block: 'x\ny' }, { check: true })).changed).toBe(true);
  expect(await run('blockinfile', { path: f, block: 'x\ny' })).toMatchObject({ changed: true, msg: 'Block inserted' });
  expect((await run('blockinfile', { path: f, block: 'x\ny' })).changed).toBe(false);
  expect(fs.readFileSync(f, 'utf8')).toBe('a=1\nb=9\nc=3\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n');
  expect(await run('blockinfile', { path: f, state: 'absent' })).toMatchObject({ msg: 'Block removed' });
});

test('replace with backrefs and named groups; stat; slurp; find; assemble', async () => {
  const f = p('r.txt');
  fs.writeFileSync(f, 'k1=v1\nk2=v2\n');
  expect(await run('replace', { path: f, regexp: '^(\\w+)=(?P<v>\\w+)$', replace: '\\g<v>:\\1' })).toMatchObject({ changed: true, msg: '2 replacements made' });
  expect(fs.readFileSync(f, 'utf8')).toBe('v1:k1\nv2:k2\n');
  expect((await run('replace', { path: f, regexp: '^(\\w+)=(\\w+)$', replace: '\\2' })).changed).toBe(false);
  const st = (await run('stat', { path: f })).stat as Record<string, unknown>;
  expect(st).toMatchObject({ exists: true, isreg: true, size: 12, mode: '0644' });
  expect((await run('stat', { path: p('nope') })).stat).toEqual({ exists: false });
  expect((await run('slurp', { src: f })).content).toBe(Buffer.from('v1:k1\nv2:k2\n').toString('base64'));
  fs.mkdirSync(p('frags'));
  fs.writeFileSync(p('frags/01'), 'one');
  fs.writeFileSync(p('frags/02'), 'two\n');
  const found = await run('find', { paths: p('frags'), patterns: '0*' });
  expect(found).toMatchObject({ matched: 2, examined: 2 });
  const asm = await run('assemble', { src: p('frags'), dest: p('all'), delimiter: '--' });
  expect(asm).toMatchObject({ changed: true, msg: 'OK' });
  expect(fs.readFileSync(p('all'), 'utf8')).toBe('one\n--\ntwo\n');
  expect((await run('assemble', { src: p('frags'), dest: p('all'), delimiter: '--' })).changed).toBe(false);
});

test('template renders through the controller and writes like copy; tempfile; fetch', async () => {
  fs.mkdirSync(p('templates'));
  fs.writeFileSync(p('templates/t.j2'), 'static\n');
  const r = await run('template', { src: 't.j2', dest: p('t.out') });
  expect(r).toMatchObject({ changed: true, dest: p('t.out') });
  expect((await run('template', { src: 't.j2', dest: p('t.out') })).changed).toBe(false);
  const t = await run('tempfile', { path: dir, prefix: 'x.' });
  expect(fs.existsSync(t.path as string)).toBe(true);
  const skipped = await run('fetch', { src: p('t.out'), dest: p('fetched') + '/', flat: true }, { check: true });
  expect(skipped).toEqual({ changed: false, skipped: true, msg: 'check mode not (yet) supported for this module' });
  expect(fs.existsSync(p('fetched'))).toBe(false);
  const fe = await run('fetch', { src: p('t.out'), dest: p('fetched') + '/', flat: true });
  expect(fe).toMatchObject({ changed: true });
  expect(fs.readFileSync(p('fetched/t.out'), 'utf8')).toBe('static\n');
});
