// unarchive on the local host with real archives made by tar and zip in temp dirs.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateArgs } from '../args';
import { makeTestContext } from '../testing';
import { unarchiveModule } from './unarchive';

let dir: string;
let dest: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-unarchive-'));
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(path.join(tree, 'top', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'top', 'a.txt'), 'alpha\n');
  fs.writeFileSync(path.join(tree, 'top', 'sub', 'b.txt'), 'beta\n');
  fs.mkdirSync(path.join(dir, 'files'));
  execFileSync('tar', ['czf', path.join(dir, 'files', 'a.tar.gz'), '-C', tree, 'top']);
  execFileSync('tar', ['cJf', path.join(dir, 'a.tar.xz'), '-C', tree, 'top']);
  execFileSync('zip', ['-qr', path.join(dir, 'a.zip'), 'top'], { cwd: tree });
  dest = path.join(dir, 'dest');
  fs.mkdirSync(dest);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (raw: Record<string, unknown>, opts: { check?: boolean } = {}) =>
  unarchiveModule.run(validateArgs('unarchive', unarchiveModule.spec, raw, unarchiveModule.constraints), makeTestContext({ ...opts, controllerDir: dir }));

test('tar.gz from the controller: extracted, then unchanged; check mode skips for tar', async () => {
  const check = await run({ src: 'a.tar.gz', dest }, { check: true });
  expect(check).toMatchObject({ skipped: true, msg: expect.stringContaining('does not support check mode when using gtar') });
  expect(fs.readdirSync(dest)).toEqual([]);
  const first = await run({ src: 'a.tar.gz', dest, list_files: true });
  expect(first).toMatchObject({ changed: true, handler: 'TgzArchive', state: 'directory', extract_results: { rc: 0 } });
  expect((first.files as string[]).sort()).toEqual(['top/', 'top/a.txt', 'top/sub/', 'top/sub/b.txt']);
  expect(fs.readFileSync(path.join(dest, 'top', 'sub', 'b.txt'), 'utf8')).toBe('beta\n');
  const second = await run({ src: 'a.tar.gz', dest });
  expect(second).toMatchObject({ changed: false, handler: 'TgzArchive' });
  expect(second).not.toHaveProperty('extract_results');
  // like Ansible, only a differing mtime (not size or content) makes tar report a change
  fs.writeFileSync(path.join(dest, 'top', 'a.txt'), 'changed\n');
  fs.utimesSync(path.join(dest, 'top', 'a.txt'), new Date('2001-01-01'), new Date('2001-01-01'));
  expect(await run({ src: 'a.tar.gz', dest })).toMatchObject({ changed: true });
  expect(fs.readFileSync(path.join(dest, 'top', 'a.txt'), 'utf8')).toBe('alpha\n');
});

test('zip on the target: check mode predicts, diff is itemized, second run unchanged', async () => {
  const src = path.join(dir, 'a.zip');
  const check = await run({ src, dest, remote_src: true }, { check: true });
  expect(check).toMatchObject({ changed: true, handler: 'ZipArchive', diff: { prepared: expect.stringContaining('>f++++++.?? top/a.txt') } });
  expect(fs.readdirSync(dest)).toEqual([]);
  expect(await run({ src, dest, remote_src: true })).toMatchObject({ changed: true, extract_results: { rc: 0 } });
  expect(await run({ src, dest, remote_src: true })).toMatchObject({ changed: false });
  expect(await run({ src, dest, remote_src: true }, { check: true })).toMatchObject({ changed: false });
  fs.chmodSync(path.join(dest, 'top', 'a.txt'), 0o600);
  const perm = await run({ src, dest, remote_src: true }, { check: true });
  expect(perm).toMatchObject({ changed: true, diff: { prepared: '.f...p...?? top/a.txt\n' } });
});

test('tar.xz with include and mode; creates skips; errors', async () => {
  const src = path.join(dir, 'a.tar.xz');
  const r = await run({ src, dest, remote_src: true, include: ['top/a.txt'], mode: '0600' });
  expect(r).toMatchObject({ changed: true, handler: 'TarArchive' }); // GNU tar auto-detects xz without a flag, as under Ansible
  expect(fs.existsSync(path.join(dest, 'top', 'sub'))).toBe(false);
  expect(fs.statSync(path.join(dest, 'top', 'a.txt')).mode & 0o777).toBe(0o600);
  expect(await run({ src, dest, remote_src: true, include: ['top/a.txt'], mode: '0600' })).toMatchObject({ changed: false });
  expect(await run({ src, dest, remote_src: true, creates: path.join(dest, 'top') })).toMatchObject({ skipped: true, msg: `skipped, since ${path.join(dest, 'top')} exists` });
  expect(await run({ src, dest: path.join(dir, 'nope'), remote_src: true })).toMatchObject({ failed: true, msg: `dest '${path.join(dir, 'nope')}' must be an existing dir` });
  expect(await run({ src: path.join(dir, 'missing.tgz'), dest, remote_src: true })).toMatchObject({ failed: true, msg: `Source '${path.join(dir, 'missing.tgz')}' does not exist` });
  fs.writeFileSync(path.join(dir, 'junk.bin'), 'not an archive');
  expect(await run({ src: path.join(dir, 'junk.bin'), dest, remote_src: true })).toMatchObject({ failed: true, msg: expect.stringContaining('Failed to find handler') });
  expect(await run({ src: 'nope.tgz', dest })).toMatchObject({ failed: true, msg: expect.stringContaining("Could not find or access 'nope.tgz'") });
});
