// The file module's probe as data (options → which programs the script may start; recorded
// output → facts) and on the real host (several probes in one exec).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalConnection } from '../../connection/local';
import { fileProbeScript } from './file-probe';

const PROGRAMS = ['stat', 'sha1sum', 'getent', 'id', 'readlink', 'base64', 'cut', 'head', 'grep', 'ls', 'wc', 'date', 'cat', 'dirname', 'find'];
function programs(script: string): string[] {
  return PROGRAMS.filter((p) => new RegExp(`(^|[;|&({]\\s*|\\$\\(|then |else |do )(\\w+=\\S+ )*${p}( |$)`, 'm').test(script));
}

describe('file probe script (data)', () => {
  const base = { users: [], groups: [] };

  test('state=file/directory: stat only; readlink -f only for a link; id(1) only without /proc', () => {
    const { script } = fileProbeScript('/srv/app', { ...base, users: ['www-data'], groups: ['www-data'] });
    expect(programs(script).sort()).toEqual(['getent', 'id', 'readlink', 'stat']);
    // each of those sits behind a test that is false on an ordinary Linux target and path
    expect(script).toContain('if [ -L /srv/app ]; then _tsr0=$(readlink -f');
    expect(script).toContain('[ -n "$_tswu" ] || { _tswu=$(id -u)');
    expect(script).toMatch(/\[ -n "\$_tsU0" \] \|\| \{ _tsU0=\$\(getent/);
    expect(script).not.toContain('date');
    expect(script).toContain("printf 'M '; umask");
  });

  test('the current time only when a timestamp is wanted', () => {
    expect(programs(fileProbeScript('/f', { ...base, now: true }).script)).toContain('date');
  });

  test('state=link: emptiness by a shell glob; state=hard: inodes; state=absent: the tree', () => {
    const link = fileProbeScript('/d', { ...base, src: 'target', emptiness: true }).script;
    expect(link).toContain("for _tsf in /d/* /d/.[!.]* /d/..?*; do");
    expect(link).toContain("then _tsp2=/d/target; echo 'A 0'; else _tsp2=//target; echo 'A 1'; fi");
    expect(fileProbeScript('/d/h', { ...base, src: '/s', hard: true }).script).toContain('if [ -L /s ] || [ -L /d/h ]; then echo "I $(stat -L -c %i -- /s');
    expect(programs(fileProbeScript('/d', { ...base, walk: true }).script)).toContain('find');
  });

  test('recorded output → facts: realpath, umask, who we are, names', () => {
    const { parse } = fileProbeScript('/srv/ln', { ...base, users: ['app'], groups: [] });
    const out = [
      'K 0',
      "P 0 rwx 1 8 a1ff 0 0 1 10 2049 1.0 1.0 1.0 root root \"/srv/ln\" -> \"/data/x\"",
      'P 1 rw- 1 3 81a4 1001 1001 1 11 2049 5.0 5.0 5.0 app app "/data/x"',
      'U 0 1001',
      'R0 7 /data/x',
      'M 0027',
      'W 1001 100',
    ].join('\n');
    const f = parse(Buffer.from(out + '\n'));
    expect(f.st).toMatchObject({ type: 'link', linkTarget: '/data/x', linkTargetExists: true, path: '/srv/ln' });
    expect(f.real).toMatchObject({ type: 'file', path: '/data/x', uid: 1001, size: 3 });
    expect(f.umask).toBe(0o027);
    expect([f.myUid, f.myGid]).toEqual([1001, 100]);
    expect(f.names.uids.get('app')).toBe(1001);
  });

  test('a path that is not a link is its own realpath target', () => {
    const { parse } = fileProbeScript('/srv/d', base);
    const f = parse(Buffer.from('K 0\nP 0 rwx 1 4096 41ed 0 0 2 12 2049 1.0 1.0 1.0 root root "/srv/d"\nR0 10 /mnt/srv/d\nM 0022\nW 0 0\n'));
    expect(f.real).toMatchObject({ type: 'directory', path: '/mnt/srv/d', inode: 12 });
  });
});

describe('file probes on the real host', () => {
  const conn = new LocalConnection({ host: 'localhost' });
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-fprobe-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterAll(() => conn.close());

  test('extra paths share the one stat(1); a skipped one is undefined; names shared', async () => {
    fs.writeFileSync(path.join(dir, 'f'), 'abc');
    const probe = fileProbeScript(path.join(dir, 'f'), { users: ['root'], groups: [], checksumIfSize: 3 }, [
      { path: path.join(dir, 'f', 'x'), when: `[ -d ${path.join(dir, 'f')} ]` },
      { path: dir + '/' },
    ]);
    expect(probe.script.match(/\bstat /g)).toHaveLength(1);
    const r = await conn.exec(probe.script);
    const [f, skipped, d] = probe.parseAll(r.stdoutBytes);
    expect(f?.st).toMatchObject({ type: 'file', size: 3, checksum: 'a9993e364706816aba3e25717850c26c9cd0d89d' });
    expect(f?.myUid).toBe(process.getuid?.());
    expect(skipped).toBeUndefined();
    expect(d?.st.type).toBe('directory');
    expect(d?.real.path).toBe(fs.realpathSync(dir));
    expect(d?.names.uids.get('root')).toBe(0);
  });
});
