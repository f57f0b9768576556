// get_url against the real test server on 127.0.0.1, downloading on the local host with curl.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, sha256, startTestHttpServer, type TestHttpServer } from '../../../test/support/http-server';
import { validateArgs } from '../args';
import { makeTestContext } from '../testing';
import { getUrlModule } from './get_url';

let srv: TestHttpServer;
let dir: string;
beforeAll(async () => {
  srv = await startTestHttpServer();
});
afterAll(() => srv.close());
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-get-url-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (raw: Record<string, unknown>, opts: { check?: boolean } = {}) =>
  getUrlModule.run(validateArgs('get_url', getUrlModule.spec, raw, getUrlModule.constraints), makeTestContext(opts));

test('downloads, then is unchanged (304), check mode changes nothing', async () => {
  const dest = path.join(dir, 'f.txt');
  const check = await run({ url: `${srv.httpUrl}/file.txt`, dest }, { check: true });
  expect(check).toMatchObject({ changed: true, msg: 'OK (12 bytes)' });
  expect(fs.existsSync(dest)).toBe(false);
  const first = await run({ url: `${srv.httpUrl}/file.txt`, dest, mode: '0600' });
  expect(first).toMatchObject({ changed: true, msg: 'OK (12 bytes)', status_code: 200, size: 12, mode: '0600', state: 'file' });
  expect(fs.readFileSync(dest, 'utf8')).toBe(FIXTURES['file.txt']);
  const second = await run({ url: `${srv.httpUrl}/file.txt`, dest, mode: '0600' });
  expect(second).toMatchObject({ changed: false, status_code: 304, msg: 'HTTP Error 304: Not Modified' });
  expect(fs.readdirSync(dir)).toEqual(['f.txt']);
});

test('checksum from a checksum file into a directory dest; mismatches fail', async () => {
  const ok = await run({ url: `${srv.httpsUrl}/file.txt`, dest: dir, checksum: `sha256:${srv.httpUrl}/sha256sums.txt`, validate_certs: false });
  expect(ok).toMatchObject({ changed: true, dest: path.join(dir, 'file.txt') });
  const again = await run({ url: `${srv.httpUrl}/file.txt`, dest: path.join(dir, 'file.txt'), checksum: `sha256:${sha256(FIXTURES['file.txt'] as string)}` });
  expect(again).toMatchObject({ changed: false, msg: 'file already exists' });
  const bad = await run({ url: `${srv.httpUrl}/other.txt`, dest: path.join(dir, 'o.txt'), checksum: 'sha256:abcd' });
  expect(bad.failed).toBe(true);
  expect(bad.msg).toMatch(/^The checksum for .*o.txt did not match abcd; it was /);
  expect(fs.existsSync(path.join(dir, 'o.txt'))).toBe(false);
});

test('content-disposition name, https with CA, mTLS, errors', async () => {
  const cd = await run({ url: `${srv.httpUrl}/disposition/named.txt`, dest: dir });
  expect(cd.dest).toBe(path.join(dir, 'named.txt'));
  const notFound = await run({ url: `${srv.httpUrl}/nope`, dest: path.join(dir, 'x') });
  expect(notFound).toMatchObject({ failed: true, msg: 'Request failed', status_code: 404, response: 'HTTP Error 404: Not Found' });
  const refused = await run({ url: 'http://127.0.0.1:1/x', dest: path.join(dir, 'x') });
  expect(refused.msg).toBe('Request failed: <urlopen error [Errno 111] Connection refused>');
  const noDir = await run({ url: `${srv.httpUrl}/file.txt`, dest: path.join(dir, 'missing', 'x') });
  expect(noDir.msg).toBe(`Destination ${path.join(dir, 'missing')} does not exist`);
  const badCert = await run({ url: `${srv.httpsUrl}/file.txt`, dest: path.join(dir, 'y') });
  expect(badCert.failed).toBe(true);
  const mtls = await run({
    url: `${srv.mtlsUrl}/file.txt`, dest: path.join(dir, 'm'), validate_certs: false, client_cert: srv.clientCertPath, client_key: srv.clientKeyPath,
  });
  expect(mtls.changed).toBe(true);
  const auth = await run({ url: `${srv.httpUrl}/basic-auth/u/p`, dest: path.join(dir, 'a'), url_username: 'u', url_password: 'p' });
  expect(auth.changed).toBe(true);
});
