// Checks the test HTTP server itself with real curl requests (TLS, mTLS, redirects, auth).
import { execFile } from 'child_process';
import { FIXTURES, sha256, startTestHttpServer, type TestHttpServer } from './http-server';

let srv: TestHttpServer;
beforeAll(async () => {
  srv = await startTestHttpServer();
});
afterAll(() => srv.close());

// Async on purpose: a synchronous child would block the event loop the server runs on.
const curl = (...args: string[]): Promise<string> =>
  new Promise((resolve, reject) =>
    execFile('curl', ['-sS', '-m', '10', ...args], { encoding: 'utf8' }, (err, out, errText) =>
      err ? reject(new Error(errText)) : resolve(out),
    ),
  );

test('serves fixtures over http and https with the CA', async () => {
  expect(await curl(`${srv.httpUrl}/file.txt`)).toBe(FIXTURES['file.txt']);
  expect(await curl('--cacert', srv.caPath, `${srv.httpsUrl}/file.txt`)).toBe(FIXTURES['file.txt']);
  expect(await curl('--cacert', srv.caPath, `https://localhost:${new URL(srv.httpsUrl).port}/file.txt`)).toBe(FIXTURES['file.txt']);
});

test('rejects https without the CA and mTLS without a client cert', async () => {
  await expect(curl(`${srv.httpsUrl}/file.txt`)).rejects.toThrow();
  await expect(curl('--cacert', srv.caPath, `${srv.mtlsUrl}/file.txt`)).rejects.toThrow();
  expect(await curl('--cacert', srv.caPath, '--cert', srv.clientCertPath, '--key', srv.clientKeyPath, `${srv.mtlsUrl}/file.txt`)).toBe(
    FIXTURES['file.txt'],
  );
});

test('checksum file, redirects, basic auth, status', async () => {
  expect(await curl(`${srv.httpUrl}/sha256sums.txt`)).toContain(`${sha256(FIXTURES['file.txt'] as string)}  file.txt`);
  expect(await curl('-L', `${srv.httpUrl}/redirect/3`)).toBe(FIXTURES['file.txt']);
  expect(await curl('-o', '/dev/null', '-w', '%{http_code}', `${srv.httpUrl}/basic-auth/u/p`)).toBe('401');
  expect(JSON.parse(await curl('-u', 'u:p', `${srv.httpUrl}/basic-auth/u/p`))).toEqual({ authenticated: true, user: 'u' });
  expect(await curl('-o', '/dev/null', '-w', '%{http_code}', `${srv.httpUrl}/status/418`)).toBe('418');
  expect(JSON.parse(await curl('-X', 'POST', '-d', 'a=1', `${srv.httpUrl}/echo`)).body).toBe('a=1');
});

test('If-Modified-Since gets 304 for documents not modified since', async () => {
  const code = (...a: string[]) => curl('-o', '/dev/null', '-w', '%{http_code}', ...a);
  expect(await code('-H', 'If-Modified-Since: Thu, 02 Jan 2020 00:00:00 GMT', `${srv.httpUrl}/file.txt`)).toBe('304');
  expect(await code('-H', 'If-Modified-Since: Sun, 01 Dec 2019 00:00:00 GMT', `${srv.httpUrl}/file.txt`)).toBe('200');
});
