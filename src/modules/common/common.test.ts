// Real-host tests of the shared file helpers: probe, attrs planning, atomic write, modes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalConnection } from '../../connection/local';
import { attrNames, atomicWrite, planAttrs, probe, runCommands, statPath, symbolicToOctal, textDiff } from './index';

const conn = new LocalConnection({ host: 'localhost' });
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-common-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('probe reports files, dirs, links, absent paths and names in one exec', async () => {
  const f = path.join(dir, 'a file');
  fs.writeFileSync(f, 'hello\n');
  fs.chmodSync(f, 0o640);
  fs.symlinkSync('a file', path.join(dir, 'ln'));
  const res = await probe(conn, {
    paths: [f, dir, path.join(dir, 'ln'), path.join(dir, 'nope')],
    checksum: true,
    users: ['root', 'no_such_user_x'],
    groups: ['0', 'root'],
  });
  const [file, d, ln, none] = res.stats;
  expect(file).toMatchObject({ exists: true, type: 'file', mode: '0640', size: 6, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' });
  expect(d?.type).toBe('directory');
  expect(ln).toMatchObject({ type: 'link', linkTarget: 'a file', linkTargetExists: true });
  expect(none?.exists).toBe(false);
  expect(res.uids.get('root')).toBe(0);
  expect(res.uids.has('no_such_user_x')).toBe(false);
  expect(res.gids.get('root')).toBe(0);
  expect(res.gids.get('0')).toBe(0);
});

test('symbolic modes follow chmod rules', () => {
  expect(symbolicToOctal('u+rwx,g-w,o=r', 0o664, false)).toBe(0o744);
  expect(symbolicToOctal('a+X', 0o644, true)).toBe(0o755);
  expect(symbolicToOctal('a+X', 0o644, false)).toBe(0o644);
  expect(symbolicToOctal('u=rw,g=r,o=', 0o777, false)).toBe(0o640);
  expect(() => symbolicToOctal('z+q', 0o644, false)).toThrow(/bad symbolic permission/);
});

test('planAttrs detects mode changes and applies them', async () => {
  const f = path.join(dir, 'f');
  fs.writeFileSync(f, 'x');
  fs.chmodSync(f, 0o644);
  const args = { mode: '0600', owner: 'root', group: null };
  const names = await probe(conn, { paths: [f], ...attrNames(args) });
  const plan = planAttrs(f, names.stats[0]!, args, names);
  expect(plan.changed).toBe(true);
  expect(plan.before).toEqual({ mode: '0644' });
  expect(plan.after).toEqual({ mode: '0600' });
  await runCommands(conn, plan.commands);
  expect((await statPath(conn, f)).mode).toBe('0600');
  expect(() => planAttrs(f, names.stats[0]!, { owner: 'no_such_user_x' }, names)).toThrow(/failed to look up user/);
});

test('atomicWrite writes, backs up, validates', async () => {
  const f = path.join(dir, 'dest');
  await atomicWrite(conn, { dest: f, content: 'one\n', mode: 0o600 });
  expect(fs.readFileSync(f, 'utf8')).toBe('one\n');
  expect(fs.statSync(f).mode & 0o777).toBe(0o600);
  const r = await atomicWrite(conn, { dest: f, content: Buffer.from([0, 1, 2]), backup: true });
  expect(r.backupFile).toMatch(/dest\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
  expect(fs.readFileSync(r.backupFile!, 'utf8')).toBe('one\n');
  expect(fs.statSync(f).mode & 0o777).toBe(0o600);
  await expect(atomicWrite(conn, { dest: f, content: 'bad', validate: 'false %s' })).rejects.toThrow('failed to validate');
  expect(fs.readdirSync(dir).filter((n) => n.startsWith('.tsible_tmp'))).toEqual([]);
});

test('textDiff marks binary content', () => {
  expect(textDiff('a\n', 'b\n', 'x', 'y')).toEqual({ before: 'a\n', after: 'b\n', before_header: 'x', after_header: 'y' });
  expect(textDiff(Buffer.from([0]), 'b', 'x', 'y').dst_binary).toBe(1);
});
