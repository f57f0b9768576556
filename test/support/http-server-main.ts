// Child-process entry of the parity HTTP server: the parity runner blocks its own event
// loop in spawnSync, so the server must live in another process. Prints one READY line.
import * as os from 'os';
import * as path from 'path';
import { startTestHttpServer } from './http-server';

async function main(): Promise<void> {
  const [httpPort, httpsPort, mtlsPort] = process.argv.slice(2).map(Number);
  const server = await startTestHttpServer({
    ports: { http: httpPort ?? 0, https: httpsPort ?? 0, mtls: mtlsPort ?? 0 },
    pkiCacheFile: path.join(os.tmpdir(), `tsible-parity-pki-${process.getuid?.() ?? 0}.json`),
  });
  const vars = {
    test_http_url: server.httpUrl,
    test_https_url: server.httpsUrl,
    test_mtls_url: server.mtlsUrl,
    test_ca_path: server.caPath,
    test_client_cert: server.clientCertPath,
    test_client_key: server.clientKeyPath,
  };
  const shutdown = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // The parent holds our stdin open: when it goes away (even killed), we go too.
  process.stdin.on('end', shutdown);
  process.stdin.resume();
  process.stdout.write(`READY ${JSON.stringify(vars)}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`http-server-main: ${e.message}\n`);
  process.exit(1);
});
