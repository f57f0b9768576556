// uri against the real test server: status handling, JSON, headers, body formats, dest.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startTestHttpServer, type TestHttpServer } from '../../../test/support/http-server';
import { validateArgs } from '../args';
import { makeTestContext } from '../testing';
import { uriModule } from './uri';

let srv: TestHttpServer;
let dir: string;
beforeAll(async () => {
  srv = await startTestHttpServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-uri-'));
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (raw: Record<string, unknown>) =>
  uriModule.run(validateArgs('uri', uriModule.spec, raw, uriModule.constraints), makeTestContext());

test('GET JSON: status, json, headers with underscores, no content unless asked', async () => {
  const r = await run({ url: `${srv.httpUrl}/json` });
  expect(r).toMatchObject({ changed: false, status: 200, msg: expect.stringMatching(/^OK \(\d+ bytes\)$/), content_type: 'application/json', redirected: false, cookies: {} });
  expect(r.json).toEqual({ status: 'ok', count: 3, list: ['a', 'b'] });
  expect(r.content).toBeUndefined();
  const c = await run({ url: `${srv.httpUrl}/text`, return_content: true });
  expect(c.content).toBe('plain text body\n');
});

test('unexpected status fails with Ansible message; status_code list accepts', async () => {
  const r = await run({ url: `${srv.httpUrl}/status/404` });
  expect(r).toMatchObject({ failed: true, status: 404, msg: 'Status code was 404 and not [200]: HTTP Error 404: Not Found' });
  expect((await run({ url: `${srv.httpUrl}/status/404`, status_code: [200, 404] })).failed).toBeUndefined();
  const refused = await run({ url: 'http://127.0.0.1:1/' });
  expect(refused.msg).toBe('Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>');
});

test('POST json and form bodies, redirects, basic auth, cookies', async () => {
  const j = await run({ url: `${srv.httpUrl}/echo`, method: 'POST', body_format: 'json', body: { a: 1, b: 'x' } });
  expect((j.json as { body: string; headers: Record<string, string> }).body).toBe('{"a": 1, "b": "x"}');
  expect((j.json as { headers: Record<string, string> }).headers['content-type']).toBe('application/json');
  const f = await run({ url: `${srv.httpUrl}/echo`, method: 'POST', body_format: 'form-urlencoded', body: { a: 'x y', b: '&' } });
  expect((f.json as { body: string }).body).toBe('a=x+y&b=%26');
  const red = await run({ url: `${srv.httpUrl}/redirect/2` });
  expect(red).toMatchObject({ redirected: true, url: `${srv.httpUrl}/file.txt`, status: 200 });
  const none = await run({ url: `${srv.httpUrl}/redirect/1`, follow_redirects: 'none', status_code: 302 });
  expect(none).toMatchObject({ status: 302, location: `${srv.httpUrl}/file.txt` });
  const auth = await run({ url: `${srv.httpUrl}/basic-auth/u/p`, user: 'u', password: 'p', force_basic_auth: true });
  expect(auth.json).toEqual({ authenticated: true, user: 'u' });
  const ck = await run({ url: `${srv.httpUrl}/cookie` });
  expect(ck).toMatchObject({ cookies: { session: 'abc123', theme: 'dark' }, cookies_string: 'session=abc123; theme=dark' });
});

test('dest writes the body; creates skips', async () => {
  const dest = path.join(dir, 'out.txt');
  const r = await run({ url: `${srv.httpUrl}/file.txt`, dest });
  expect(r).toMatchObject({ changed: true, path: dest });
  expect(fs.readFileSync(dest, 'utf8')).toBe('hello world\n');
  const s = await run({ url: `${srv.httpUrl}/file.txt`, creates: dest });
  expect(s).toEqual({ changed: false, stdout: `skipped, since '${dest}' exists` });
  const https = await run({ url: `${srv.httpsUrl}/json`, ca_path: srv.caPath });
  expect(https.status).toBe(200);
});
