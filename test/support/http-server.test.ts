// Checks the test HTTP server itself with real curl requests (TLS, mTLS, redirects, auth).
import { execFileSync } from 'child_process';
import { FIXTURES, sha256, startTestHttpServer, type TestHttpServer } from './http-server';

let srv: TestHttpServer;
beforeAll(async () => {
  srv = await startTestHttpServer();
});
afterAll(() => srv.close());

const curl = (...args: string[]) => execFileSync('curl', ['-sS', ...args], { encoding: 'utf8' });

test('serves fixtures over http and https with the CA', () => {
  expect(curl(`${srv.httpUrl}/file.txt`)).toBe(FIXTURES['file.txt']);
  expect(curl('--cacert', srv.caPath, `${srv.httpsUrl}/file.txt`)).toBe(FIXTURES['file.txt']);
  expect(curl('--cacert', srv.caPath, `https://localhost:${new URL(srv.httpsUrl).port}/file.txt`)).toBe(FIXTURES['file.txt']);
});

test('rejects https without the CA and mTLS without a client cert', () => {
  expect(() => curl(`${srv.httpsUrl}/file.txt`)).toThrow();
  expect(() => curl('--cacert', srv.caPath, `${srv.mtlsUrl}/file.txt`)).toThrow();
  expect(curl('--cacert', srv.caPath, '--cert', srv.clientCertPath, '--key', srv.clientKeyPath, `${srv.mtlsUrl}/file.txt`)).toBe(
    FIXTURES['file.txt'],
  );
});

test('checksum file, redirects, basic auth, status', () => {
  expect(curl(`${srv.httpUrl}/sha256sums.txt`)).toContain(`${sha256(FIXTURES['file.txt'] as string)}  file.txt`);
  expect(curl('-L', `${srv.httpUrl}/redirect/3`)).toBe(FIXTURES['file.txt']);
  expect(curl('-o', '/dev/null', '-w', '%{http_code}', `${srv.httpUrl}/basic-auth/u/p`)).toBe('401');
  expect(JSON.parse(curl('-u', 'u:p', `${srv.httpUrl}/basic-auth/u/p`))).toEqual({ authenticated: true, user: 'u' });
  expect(curl('-o', '/dev/null', '-w', '%{http_code}', `${srv.httpUrl}/status/418`)).toBe('418');
  expect(JSON.parse(curl('-X', 'POST', '-d', 'a=1', `${srv.httpUrl}/echo`)).body).toBe('a=1');
});
