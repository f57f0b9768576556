// The persistent shell: framing as data, then a real /bin/sh through the local connection
// (stdin, env, cwd, rc, syntax errors, timeouts, a dying shell, concurrency, large output).
import { FrameReader, frameCommand, newFrameToken } from './shell-frame';
import { LocalConnection } from './local';

describe('frame text', () => {
  const token = 'TSIBLE-0123456789abcdef0123456789abcdef';

  test('runs the script through eval in a subshell with stdin from /dev/null', () => {
    const text = frameCommand(token, 7, { script: "echo 'hi'", env: { A: 'x y', 'bad-name': 'z' }, cwd: '/tmp' });
    expect(text).toBe(
      "(\nexport A='x y'\ncd -- /tmp || exit 1\neval 'echo '\"'\"'hi'\"'\"''\n) </dev/null\n" +
        `printf '%s %d\\n' ${token}:7: $?; printf '%s\\n' ${token}:7: >&2\n`,
    );
  });

  test('text stdin ending in a newline goes in a quoted here-document', () => {
    const text = frameCommand(token, 1, { script: 'cat', stdin: 'a $x `y`\n' });
    expect(text).toContain("<<'TSIBLE_IN_0123456789abcdef_1'\na $x `y`\nTSIBLE_IN_0123456789abcdef_1\n");
  });

  test('binary stdin, or text without a final newline, is base64 decoded on the target', () => {
    const text = frameCommand(token, 2, { script: 'cat', stdin: Buffer.from([0, 1, 2]) });
    expect(text.startsWith("{ base64 -d <<'TSIBLE_IN_0123456789abcdef_2'\nAAEC\nTSIBLE_IN_0123456789abcdef_2\n} | (\n")).toBe(true);
    expect(frameCommand(token, 3, { script: 'cat', stdin: 'no newline' })).toContain('base64 -d');
  });

  test('the reader cuts both streams at their markers, even when a marker is split across chunks', () => {
    const r = new FrameReader(token, 5);
    const out = Buffer.from(`binary\u0000out${token}:5: 3\n`);
    r.stdout(out.subarray(0, 12));
    r.stdout(out.subarray(12, 30));
    expect(r.result()).toBeNull();
    r.stdout(out.subarray(30));
    expect(r.result()).toBeNull(); // stderr marker still missing
    r.stderr(Buffer.from(`warn\n${token}:5:\n`));
    expect(r.result()).toEqual({ rc: 3, stdout: Buffer.from('binary\u0000out'), stderr: Buffer.from('warn\n') });
  });

  test('a marker of another command id does not end this one', () => {
    const r = new FrameReader(token, 6);
    r.stdout(Buffer.from(`${token}:60: 0\n`));
    r.stderr(Buffer.from(`${token}:6:\n`));
    expect(r.result()).toBeNull();
  });

  test('tokens are random', () => {
    expect(newFrameToken()).not.toBe(newFrameToken());
  });
});

describe('local connection on a persistent /bin/sh', () => {
  let conn: LocalConnection;
  beforeEach(() => {
    conn = new LocalConnection({ host: 'localhost' });
  });
  afterEach(() => conn.close());

  test('rc, stdout and stderr of each command, and nothing leaks between commands', async () => {
    expect(await conn.exec('echo out; echo err >&2; exit 3')).toMatchObject({ rc: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await conn.exec('x=1; cd /; trap "echo bye" EXIT')).toMatchObject({ rc: 0, stdout: 'bye\n' });
    expect(await conn.exec('echo "${x:-unset}"; pwd')).toMatchObject({ stdout: `unset\n${process.cwd()}\n` });
    // one shell: the same process answers
    const a = await conn.exec('echo $$');
    const b = await conn.exec('echo $$');
    expect(a.stdout).toBe(b.stdout);
  });

  test('stdin, env and cwd', async () => {
    expect((await conn.exec('cat', { stdin: 'line1\nline2\n' })).stdout).toBe('line1\nline2\n');
    expect((await conn.exec('od -An -tx1', { stdin: Buffer.from([0, 255, 10]) })).stdout.trim()).toBe('00 ff 0a');
    expect((await conn.exec('printf %s "$V"; pwd', { env: { V: "it's" }, cwd: '/usr' })).stdout).toBe("it's/usr\n");
    expect((await conn.exec('cat')).stdout).toBe(''); // no stdin given: EOF, never the command stream
  });

  test('non-ASCII stdin arrives byte for byte (UTF-8 text, and bytes that are not UTF-8)', async () => {
    const utf8 = Buffer.from('π ßΩ\n');
    expect((await conn.exec('od -An -tx1', { stdin: utf8 })).stdout.replace(/\s+/g, '')).toBe(utf8.toString('hex'));
    const latin1 = Buffer.from([0x61, 0xe9, 0x0a]);
    expect((await conn.exec('od -An -tx1', { stdin: latin1 })).stdout.replace(/\s+/g, '')).toBe('61e90a');
  });

  test('a syntax error fails that command only', async () => {
    const r = await conn.exec('if then');
    expect(r.rc).toBe(2);
    expect(r.stderr).toMatch(/Syntax error/);
    expect((await conn.exec('echo fine')).stdout).toBe('fine\n');
  });

  test('a timeout ends the command (rc 124); the next command gets a new shell', async () => {
    const before = (await conn.exec('echo $$')).stdout;
    const start = Date.now();
    const r = await conn.exec('echo started; sleep 30 & wait', { timeoutMs: 300 });
    expect(Date.now() - start).toBeLessThan(5000);
    expect(r).toMatchObject({ rc: 124, stdout: 'started\n' });
    const after = (await conn.exec('echo $$')).stdout;
    expect(after).not.toBe(before);
  });

  test('a shell that dies mid-command reports it and is reopened', async () => {
    // $$ in the command's subshell is the persistent shell itself
    const r = await conn.exec('echo partial; kill -9 $$; sleep 5');
    expect(r).toMatchObject({ rc: 137, stdout: 'partial\n' });
    expect((await conn.exec('echo again')).stdout).toBe('again\n');
  });

  test('concurrent commands run side by side in separate shells', async () => {
    const start = Date.now();
    const rs = await Promise.all([conn.exec('sleep 0.5; echo a'), conn.exec('sleep 0.5; echo b'), conn.exec('echo c')]);
    expect(rs.map((r) => r.stdout)).toEqual(['a\n', 'b\n', 'c\n']);
    expect(Date.now() - start).toBeLessThan(1400);
  });

  test('large binary output arrives whole', async () => {
    const r = await conn.exec('head -c 3000000 /dev/urandom | od -An -tx1 | head -c 4000000; printf end');
    expect(r.stdout.endsWith('end')).toBe(true);
    expect(r.stdoutBytes.length).toBeGreaterThan(3000000);
  });
});
