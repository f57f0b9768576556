// The parity HTTP bridge answers while this process is blocked in spawnSync (the reason it
// runs in a child process), serves HTTPS with the CA it reports, and stops cleanly.
import { spawnSync } from 'child_process';
import * as net from 'net';
import { startParityHttpServer } from './parity-http';

// ports apart from the parity runner's 18080/18443 so both may run at once
const HTTP_PORT = 28080;
const HTTPS_PORT = 28443;

test('serves on fixed ports while the parent blocks, then stops', async () => {
  const server = await startParityHttpServer(HTTP_PORT, HTTPS_PORT);
  try {
    expect(server.vars).toMatchObject({
      test_http_url: `http://127.0.0.1:${HTTP_PORT}`,
      test_https_url: `https://127.0.0.1:${HTTPS_PORT}`,
      test_mtls_url: `https://127.0.0.1:${HTTPS_PORT + 1}`,
    });
    const plain = spawnSync('curl', ['-sS', `${server.vars.test_http_url}/file.txt`], { encoding: 'utf8' });
    expect(plain.stdout).toBe('hello world\n');
    const secure = spawnSync('curl', ['-sS', '--cacert', server.vars.test_ca_path as string, `${server.vars.test_https_url}/data.json`], { encoding: 'utf8' });
    expect(JSON.parse(secure.stdout)).toMatchObject({ name: 'tsible' });
  } finally {
    await server.stop();
  }
  const refused = await new Promise<boolean>((resolve) => {
    const sock = net.connect(HTTP_PORT, '127.0.0.1');
    sock.once('connect', () => (sock.destroy(), resolve(false)));
    sock.once('error', () => resolve(true));
  });
  expect(refused).toBe(true);
});
