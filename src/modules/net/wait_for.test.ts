// wait_for on the local host: real files and a real listening port.
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { validateArgs } from '../args';
import { makeTestContext } from '../testing';
import { waitForModule } from './wait_for';

const run = (raw: Record<string, unknown>) => waitForModule.run(validateArgs('wait_for', waitForModule.spec, raw), makeTestContext());

test('path present with regex groups, absent, timeout message', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-wait-'));
  const file = path.join(dir, 'f');
  fs.writeFileSync(file, 'version=1.2\nready\n');
  const r = await run({ path: file, search_regex: 'version=(\\d+)\\.(?P<minor>\\d+)', timeout: 3 });
  expect(r).toMatchObject({ changed: false, state: 'file', path: file, match_groups: ['1', '2'], match_groupdict: { minor: '2' }, port: null });
  expect((await run({ path: path.join(dir, 'nope'), state: 'absent', timeout: 2 })).failed).toBeUndefined();
  const t = await run({ path: path.join(dir, 'nope'), timeout: 1, sleep: 1 });
  expect(t).toMatchObject({ failed: true, msg: `Timeout when waiting for file ${path.join(dir, 'nope')}` });
  expect((await run({ path: file, port: 1 })).msg).toBe('port and path parameter can not both be passed to wait_for');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('port started and stopped', async () => {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  expect(await run({ port, timeout: 5 })).toMatchObject({ changed: false, port, state: 'started' });
  const stopped = await run({ port, state: 'stopped', timeout: 1 });
  expect(stopped).toMatchObject({ failed: true, msg: `Timeout when waiting for 127.0.0.1:${port} to stop.` });
  await new Promise((r) => server.close(r));
  expect((await run({ port, state: 'stopped', timeout: 3 })).failed).toBeUndefined();
});
