// What a task costs on the target, measured on the real local connection: round trips
// (connection calls) per module when something changes and when nothing does, and the
// processes an unchanged file/copy/template/lineinfile task starts (strace on the shell).
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalConnection } from '../../src/connection/local';
import type { Connection, ExecOptions, ExecResult } from '../../src/connection/types';
import { validateArgs } from '../../src/modules/args';
import { fileModules } from '../../src/modules/files';
import { systemModules } from '../../src/modules/system';
import { makeTestContext } from '../../src/modules/testing';
import type { ModuleDef, ModuleResult } from '../../src/modules/types';

/** Counts the calls that reach the target. */
class CountingConnection implements Connection {
  calls: string[] = [];
  constructor(readonly inner: LocalConnection) {}
  get host() {
    return this.inner.host;
  }
  get transport() {
    return this.inner.transport;
  }
  exec(script: string, opts?: ExecOptions): Promise<ExecResult> {
    this.calls.push('exec');
    return this.inner.exec(script, opts);
  }
  put(content: Buffer | string, p: string): Promise<void> {
    this.calls.push('put');
    return this.inner.put(content, p);
  }
  fetch(p: string): Promise<Buffer> {
    this.calls.push('fetch');
    return this.inner.fetch(p);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const modules = [...fileModules, ...systemModules];
let dir: string;
let conn: CountingConnection;

beforeAll(() => {
  conn = new CountingConnection(new LocalConnection({ host: 'localhost' }));
});
afterAll(() => conn.close());
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-cost-'));
  fs.mkdirSync(path.join(dir, 'templates'));
  fs.writeFileSync(path.join(dir, 'templates', 'unit.j2'), '[Service]\nExecStart=/bin/true\n');
  fs.mkdirSync(path.join(dir, 'files'));
  fs.writeFileSync(path.join(dir, 'files', 'src.txt'), 'from a file\n');
  fs.mkdirSync(path.join(dir, 'frags'));
  fs.writeFileSync(path.join(dir, 'frags', '01'), 'one\n');
  fs.writeFileSync(path.join(dir, 'frags', '02'), 'two\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(name: string, raw: Record<string, unknown>, opts: { check?: boolean; diff?: boolean } = {}): Promise<{ result: ModuleResult; calls: string[] }> {
  const m = modules.find((x) => x.name === name) as ModuleDef;
  const ctx = { ...makeTestContext({ ...opts, controllerDir: dir }), conn };
  conn.calls = [];
  const result = await m.run(validateArgs(name, m.spec, raw, m.constraints), ctx);
  return { result, calls: conn.calls };
}

const p = (...parts: string[]) => path.join(dir, ...parts);

/** [module, args producing a change, args (same) again] for tasks that must converge. */
const converging: [string, (d: string) => Record<string, unknown>][] = [
  ['file', () => ({ path: p('a/b/c'), state: 'directory', mode: '0750' })],
  ['file', () => ({ path: p('t'), state: 'touch', mode: '0600', modification_time: 'preserve', access_time: 'preserve' })],
  ['file', () => ({ path: p('ln'), src: p('files/src.txt'), state: 'link' })],
  ['file', () => ({ path: p('hard'), src: p('files/src.txt'), state: 'hard' })],
  ['file', () => ({ path: p('frags'), state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' })],
  ['copy', () => ({ content: 'hello\n', dest: p('c.txt'), mode: '0640', owner: 'root', group: 'root' })],
  ['copy', () => ({ src: 'src.txt', dest: p('into') + '/', mode: '0644' })],
  ['copy', () => ({ content: 'validated\n', dest: p('v.txt'), validate: 'grep -q validated %s', backup: true })],
  ['template', () => ({ src: 'unit.j2', dest: p('unit.service'), mode: '0644' })],
  ['lineinfile', () => ({ path: p('l.txt'), line: 'extra', create: true, mode: '0600' })],
  ['blockinfile', () => ({ path: p('b.txt'), block: 'x=1\ny=2', create: true, owner: 'root' })],
  ['assemble', () => ({ src: p('frags'), dest: p('assembled'), mode: '0644' })],
  ['copy', () => ({ src: p('frags') + '/', dest: p('tree') + '/', remote_src: true })],
  ['copy', () => ({ src: p('files/src.txt'), dest: p('remote.txt'), remote_src: true, mode: '0600' })],
];

describe('round trips', () => {
  test.each(converging)('%s: at most 2 calls when it changes, 1 when nothing changes', async (name, args) => {
    if (name === 'copy' && String(args(dir).dest).endsWith('/')) fs.mkdirSync(p('into'));
    const first = await run(name, args(dir));
    expect(first.result.failed).toBeFalsy();
    expect(first.result.changed).toBe(true);
    expect(first.calls.length).toBeLessThanOrEqual(2);
    const second = await run(name, args(dir));
    expect(second.result).toMatchObject({ changed: false });
    expect(second.calls).toEqual(['exec']);
  });

  test('a directory tree from the controller: one call when nothing changes', async () => {
    fs.mkdirSync(p('files/tree/sub'), { recursive: true });
    fs.writeFileSync(p('files/tree/a'), 'a\n');
    fs.writeFileSync(p('files/tree/sub/b'), 'b\n');
    expect((await run('copy', { src: 'tree/', dest: p('out') + '/', directory_mode: '0750' })).result.changed).toBe(true);
    const again = await run('copy', { src: 'tree/', dest: p('out') + '/', directory_mode: '0750' });
    expect(again.result.changed).toBe(false);
    expect(again.calls).toEqual(['exec']);
  });

  test('replace and lineinfile editing an existing file with new attributes: 2 calls', async () => {
    fs.writeFileSync(p('r.txt'), 'port=80\n');
    fs.chmodSync(p('r.txt'), 0o644);
    const r = await run('replace', { path: p('r.txt'), regexp: '=80$', replace: '=8080', mode: '0600' });
    expect(r.result).toMatchObject({ changed: true, msg: '1 replacements made and ownership, perms or SE linux context changed' });
    expect(r.calls).toHaveLength(2);
    expect(fs.readFileSync(p('r.txt'), 'utf8')).toBe('port=8080\n');
    expect(fs.statSync(p('r.txt')).mode & 0o777).toBe(0o600);
    expect((await run('replace', { path: p('r.txt'), regexp: '=80$', replace: '=8080', mode: '0600' })).calls).toHaveLength(1);
  });

  test('stat, and check mode of every converging task, is one call', async () => {
    fs.writeFileSync(p('s'), 'x');
    expect((await run('stat', { path: p('s') })).calls).toEqual(['exec']);
    // assemble does not support check mode (the task is skipped)
    for (const [name, args] of converging.filter(([n]) => n !== 'assemble')) {
      if (name === 'copy' && String(args(dir).dest).endsWith('/')) fs.mkdirSync(p('into'), { recursive: true });
      const r = await run(name, args(dir), { check: true });
      expect([name, r.calls.length]).toEqual([name, 1]);
    }
  });

  test('user and group: one call when they exist as asked, two when they change', async () => {
    const name = `tsible-cost-${process.pid}`;
    try {
      const g1 = await run('group', { name, system: true });
      expect(g1.result.changed).toBe(true);
      expect(g1.calls.length).toBeLessThanOrEqual(2);
      expect((await run('group', { name, system: true })).calls).toEqual(['exec']);
      const u1 = await run('user', { name, group: name, shell: '/bin/sh', create_home: false, system: true });
      expect(u1.result.changed).toBe(true);
      expect(u1.calls.length).toBeLessThanOrEqual(2);
      const u2 = await run('user', { name, group: name, shell: '/bin/sh', create_home: false, system: true });
      expect(u2.result.changed).toBe(false);
      expect(u2.calls).toEqual(['exec']);
      const u3 = await run('user', { name, shell: '/bin/bash' });
      expect(u3.result).toMatchObject({ changed: true, shell: '/bin/bash' });
      expect(u3.calls.length).toBeLessThanOrEqual(2);
    } finally {
      spawnSync('userdel', [name]);
      spawnSync('groupdel', [name]);
    }
  });
});

/** Processes started by the shell that serves `conn` while `body` runs, counted by strace. */
async function processesDuring(body: () => Promise<unknown>): Promise<string[]> {
  const pid = (await conn.exec('echo $$')).stdout.trim();
  const log = path.join(dir, 'strace.log');
  const tracer = spawn('strace', ['-f', '-qq', '-e', 'trace=execve,clone,clone3,fork,vfork', '-o', log, '-p', pid], { stdio: 'ignore' });
  // attached once the trace log shows the shell (it is idle in read(2) until then)
  for (let i = 0; i < 100 && !(fs.existsSync(log) && fs.statSync(log).size >= 0); i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  await body();
  await new Promise((r) => setTimeout(r, 100));
  tracer.kill('SIGINT');
  await new Promise((r) => tracer.on('close', r));
  // a process is a clone without CLONE_THREAD, a fork or a vfork; a program a successful execve
  const created: string[] = [];
  const pending = new Map<string, string>();
  for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
    const m = /^(\d+) +(.*)$/.exec(line);
    if (!m) continue;
    let call = m[2] as string;
    if (call.endsWith('<unfinished ...>')) {
      pending.set(m[1] as string, call);
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(call);
    if (resumed) call = (pending.get(m[1] as string) ?? '') + resumed[1];
    if (/^(clone3?|vfork|fork)\(/.test(call) && !call.includes('CLONE_THREAD')) created.push('sh');
    const exec = /^execve\("([^"]+)".*= 0$/.exec(call);
    if (exec) created[created.length - 1] = path.basename(exec[1] as string);
  }
  return created;
}

const hasStrace = spawnSync('strace', ['-V']).status === 0;

describe('processes on the target for an unchanged task', () => {
  (hasStrace ? test : test.skip).each(converging.filter(([n, a]) => ['file', 'copy', 'template', 'lineinfile'].includes(n) && !a.toString().includes('remote_src')))(
    '%s starts at most 3 processes',
    async (name, args) => {
      if (name === 'copy' && String(args(dir).dest).endsWith('/')) fs.mkdirSync(p('into'));
      await run(name, args(dir));
      let result: ModuleResult | undefined;
      const procs = await processesDuring(async () => {
        result = (await run(name, args(dir))).result;
      });
      expect(result?.changed).toBe(false);
      expect(procs.length).toBeLessThanOrEqual(3);
      // find lists a recurse=yes tree; nothing else but the shell, stat and the content tools
      expect(procs.filter((x) => !['sh', 'stat', 'sha1sum', 'cat', 'readlink', 'find'].includes(x))).toEqual([]);
    },
  );
});
