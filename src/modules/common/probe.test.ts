// The path probe as data (request → script shape; recorded output → stats) and on the real
// host: one stat(1) for all paths, sha1 only when sizes match, names without id/getent.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalConnection } from '../../connection/local';
import { decodeCQuoted } from './c-quoted';
import { parseProbe, probe, probeScript } from './probe';
import { readTarget } from './content';
import { readSizedRecord, realpathScript } from './realpath';

/** Programs a script would start: words in command position that are not shell builtins. */
function programs(script: string): string[] {
  const known = ['stat', 'sha1sum', 'md5sum', 'getent', 'id', 'readlink', 'base64', 'cut', 'head', 'grep', 'ls', 'wc', 'date', 'cat', 'dirname'];
  return known.filter((p) => new RegExp(`(^|[;|&({]\\s*|\\$\\(|then |else |do )(\\w+=\\S+ )*${p}( |$)`, 'm').test(script));
}

describe('probe script (data)', () => {
  test('paths, checksum and names: one stat, a guarded sha1sum, getent only as a fallback', () => {
    const script = probeScript({ paths: ['/etc/a b', '/x'], checksum: true, expectSize: [12, null], users: ['www-data', '0'], groups: ['adm'] });
    expect(programs(script).sort()).toEqual(['getent', 'sha1sum', 'stat']);
    expect(script.match(/\bstat /g)).toHaveLength(1);
    expect(script).toContain("_tsp0='/etc/a b'\n_tsz0=12\n_tsp1=/x\n_tsz1=\n");
    expect(script).toContain('done < /etc/passwd');
    expect(script).toContain('done < /etc/group');
    // the numeric user needs no lookup at all
    expect(script).not.toContain("'0')");
    expect(script).toMatch(/\[ -n "\$_tsU0" \] \|\| \{ _tsU0=\$\(getent passwd www-data/);
  });

  test('no checksum, no names: only stat', () => {
    expect(programs(probeScript({ paths: ['/a'] }))).toEqual(['stat']);
    expect(probeScript({ paths: ['/a'] })).toContain('_tsz0=\n');
  });

  test('follow uses stat -L and treats a dangling link as absent', () => {
    const s = probeScript({ paths: ['/a'], follow: true });
    expect(s).toContain("stat -L -c '");
    expect(s).toContain('[ -n "$_tsq" ] && [ -e "$_tsq" ] &&');
  });
});

describe('probe output (data)', () => {
  const out = [
    'P 0 rw- 1 6 81a0 0 0 1 1234 2049 1700000000.500000000 1700000001.000000000 1700000002.250000000 root root "/d/a b"',
    'C 0 f572d396fae9206628714fb2ce00f72e94f2258f  -',
    'P 1 rwx 0 7 a1ff 1000 1000 1 99 2049 1.000000000 2.000000000 3.000000000 alice UNKNOWN "/d/ln" -> "no\\nwhere"',
    'U 0 33',
    'U 1 -',
    'G 0 4',
    'noise',
  ].join('\n');
  const req = { paths: ['/d/a b', '/d/ln', '/d/none'], checksum: true, users: ['www-data', 'nobody_x'], groups: ['adm'] };

  test('stat records become PathStats; links keep their target; missing paths are absent', () => {
    const res = parseProbe(req, out);
    expect(res.stats[0]).toMatchObject({
      path: '/d/a b', exists: true, type: 'file', mode: '0640', size: 6, uid: 0, owner: 'root', nlink: 1, inode: 1234,
      mtime: 1700000000.5, ctime: 1700000002.25, readable: true, writeable: true, executable: false,
      checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f',
    });
    expect(res.stats[1]).toMatchObject({ type: 'link', linkTarget: 'no\nwhere', linkTargetExists: false, group: 'UNKNOWN' });
    expect(res.stats[1]?.checksum).toBeUndefined();
    expect(res.stats[2]).toMatchObject({ path: '/d/none', exists: false, type: 'absent' });
    expect([...res.uids]).toEqual([['www-data', 33]]);
    expect([...res.gids]).toEqual([['adm', 4]]);
  });

  test('a record whose name is not the expected path is matched by name (a path vanished in between)', () => {
    const shifted = 'P 0 rw- 1 6 81a4 0 0 1 5 1 1.0 1.0 1.0 root root "/d/ln"\nC 0 abc  -\n';
    const res = parseProbe({ paths: ['/d/a b', '/d/ln'], checksum: true }, shifted);
    expect(res.stats[0]?.exists).toBe(false);
    expect(res.stats[1]).toMatchObject({ exists: true, path: '/d/ln' });
    expect(res.stats[1]?.checksum).toBeUndefined(); // computed for the wrong path: dropped
  });

  test('C-quoted names: escapes, octal UTF-8 bytes, quotes, arrows inside names', () => {
    expect(decodeCQuoted('"a b"')).toEqual({ name: 'a b' });
    expect(decodeCQuoted('"\\303\\251t\\303\\251"')).toEqual({ name: 'été' });
    expect(decodeCQuoted('"q\'uo\\"te\\\\"')).toEqual({ name: 'q\'uo"te\\' });
    expect(decodeCQuoted('"x -> y" -> "t\\tab"')).toEqual({ name: 'x -> y', target: 't\tab' });
    expect(decodeCQuoted('unquoted')).toBeNull();
  });

  test('sized records carry newlines', () => {
    expect(readSizedRecord(Buffer.from('X 1 2\nR 4 /a\nb\nP 0\n'), 'R')).toBe('/a\nb');
    expect(readSizedRecord(Buffer.from('XR 3 abc\n'), 'R')).toBeUndefined();
  });

  test('realpath: the shell resolves plain absolute paths, readlink -f the rest', () => {
    expect(realpathScript('/etc/passwd')).toContain('cd -P -- /etc');
    expect(realpathScript('/etc/passwd')).toContain('if [ -L /etc/passwd ]; then _tsr=$(readlink -f');
    expect(realpathScript('/srv/')).toContain('if [ -d /srv/ ] && cd -P -- /srv/ 2>/dev/null; then _tsr=$PWD;');
    for (const odd of ['rel/x', '/a/../b', '/a/./b', '/a//b', '/a/./']) {
      expect(realpathScript(odd)).toBe(`_tsr=$(readlink -f -- ${odd} 2>/dev/null)`);
    }
  });
});

describe('probe on the real host', () => {
  const conn = new LocalConnection({ host: 'localhost' });
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-probe-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterAll(() => conn.close());

  test('sha1 when the size matches, none when it differs', async () => {
    const f = path.join(dir, 'f');
    fs.writeFileSync(f, 'hello\n');
    const same = await probe(conn, { paths: [f], checksum: true, expectSize: [6] });
    expect(same.stats[0]?.checksum).toBe('f572d396fae9206628714fb2ce00f72e94f2258f');
    const other = await probe(conn, { paths: [f], checksum: true, expectSize: [7] });
    expect(other.stats[0]).toMatchObject({ exists: true, size: 6 });
    expect(other.stats[0]?.checksum).toBeUndefined();
  });

  test('odd names and links survive the round trip', async () => {
    const odd = path.join(dir, 'new\nline "q" é');
    fs.writeFileSync(odd, 'x');
    fs.symlinkSync(odd, path.join(dir, 'ln'));
    fs.symlinkSync('missing', path.join(dir, 'dangling'));
    const res = await probe(conn, { paths: [odd, path.join(dir, 'ln'), path.join(dir, 'dangling')], checksum: true });
    expect(res.stats[0]).toMatchObject({ exists: true, type: 'file', size: 1, checksum: '11f6ad8ec52a2984abaafd7c3b516503785c2072' });
    expect(res.stats[1]).toMatchObject({ type: 'link', linkTarget: odd, linkTargetExists: true, checksum: '11f6ad8ec52a2984abaafd7c3b516503785c2072' });
    expect(res.stats[2]).toMatchObject({ type: 'link', linkTarget: 'missing', linkTargetExists: false });
    const followed = await probe(conn, { paths: [path.join(dir, 'ln'), path.join(dir, 'dangling')], follow: true });
    expect(followed.stats[0]).toMatchObject({ type: 'file', path: path.join(dir, 'ln') });
    expect(followed.stats[1]?.exists).toBe(false);
  });

  test('names from /etc/passwd and /etc/group agree with id(1)', async () => {
    const res = await probe(conn, { paths: [], users: ['root', 'nobody', 'no_such_user_x'], groups: ['root', 'nogroup', 'no_such_group_x'] });
    expect(res.uids.get('root')).toBe(0);
    expect(res.uids.get('nobody')).toBe(65534);
    expect(res.uids.has('no_such_user_x')).toBe(false);
    expect(res.gids.get('nogroup')).toBe(65534);
    expect(res.gids.has('no_such_group_x')).toBe(false);
  });

  test('readTarget: bytes exact, realpath through a linked directory', async () => {
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'via'));
    const bytes = Buffer.from([0, 10, 255, 68, 65, 84, 65, 10]);
    fs.writeFileSync(path.join(dir, 'real', 'f'), bytes);
    const tf = await readTarget(conn, path.join(dir, 'via', 'f'));
    expect(tf.content).toEqual(bytes);
    expect(tf.realPath).toBe(path.join(fs.realpathSync(dir), 'real', 'f'));
    expect(tf.parentExists).toBe(true);
    const none = await readTarget(conn, path.join(dir, 'nope', 'f'));
    expect(none).toMatchObject({ content: null, parentExists: false, realPath: path.join(dir, 'nope', 'f') });
  });
});
