// A real HTTP + HTTPS test server on 127.0.0.1 for the network modules (get_url, uri)
// and the parity runner: deterministic routes, a throw-away CA, and an mTLS endpoint.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as forge from 'node-forge';

export interface TestHttpServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  httpUrl: string;
  /** https://127.0.0.1:PORT, certificate signed by caPath. */
  httpsUrl: string;
  /** https://127.0.0.1:PORT that requires a client certificate signed by the CA. */
  mtlsUrl: string;
  caPath: string;
  clientCertPath: string;
  clientKeyPath: string;
  /** Directory served under /static/ (tests may drop files there). */
  staticDir: string;
  /** Every request seen, newest last (method, url, headers). */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** The fixed documents every server serves: stable for parity runs. */
export const FIXTURES: Record<string, string> = {
  'file.txt': 'hello world\n',
  'other.txt': 'another file\n',
  'data.json': '{"name": "tsible", "items": [1, 2, 3], "nested": {"ok": true}}',
};

/** Last-Modified of the fixtures: fixed, so If-Modified-Since answers are deterministic. */
export const FIXTURE_MTIME = Date.UTC(2020, 0, 1);

export function sha256(text: string | Buffer): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
export function sha1(text: string | Buffer): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

interface Pki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

function makeCert(
  subjectCn: string,
  publicKeyPem: string,
  issuerKeyPem: string,
  issuerCn: string,
  opts: { ca?: boolean; san?: boolean; client?: boolean; serial: string },
): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = opts.serial;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer([{ name: 'commonName', value: issuerCn }]);
  const exts: object[] = [{ name: 'basicConstraints', cA: !!opts.ca, critical: !!opts.ca }];
  if (opts.ca) exts.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  else exts.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
  if (opts.san) {
    exts.push({ name: 'extKeyUsage', serverAuth: true });
    exts.push({
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    });
  }
  if (opts.client) exts.push({ name: 'extKeyUsage', clientAuth: true });
  cert.setExtensions(exts);
  cert.sign(forge.pki.privateKeyFromPem(issuerKeyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** Keys come from Node's native generator (fast); forge only builds and signs the certificates. */
function makePki(): Pki {
  const gen = () =>
    crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
  const ca = gen();
  const server = gen();
  const client = gen();
  const caCn = 'tsible test CA';
  return {
    caPem: makeCert(caCn, ca.publicKey, ca.privateKey, caCn, { ca: true, serial: '01' }),
    serverCertPem: makeCert('127.0.0.1', server.publicKey, ca.privateKey, caCn, { san: true, serial: '02' }),
    serverKeyPem: server.privateKey,
    clientCertPem: makeCert('tsible client', client.publicKey, ca.privateKey, caCn, { client: true, serial: '03' }),
    clientKeyPem: client.privateKey,
  };
}

/** A PKI cached as JSON in cacheFile (written atomically), so repeated parity runs skip
 *  the key generation, which is slow on a loaded machine. Regenerated when unreadable. */
function loadOrMakePki(cacheFile: string | undefined): Pki {
  if (!cacheFile) return makePki();
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Pki & { madeAt?: number };
    const ageDays = (Date.now() - (cached.madeAt ?? 0)) / 86_400_000;
    if (cached.caPem && cached.serverKeyPem && ageDays < 300) return cached;
  } catch {
    // absent or corrupt: make a new one
  }
  const pki = makePki();
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...pki, madeAt: Date.now() }), { mode: 0o600 });
  fs.renameSync(tmp, cacheFile);
  return pki;
}

function send(res: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Length': String(buf.length), ...headers });
  res.end(buf);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

const REASONS: Record<number, string> = http.STATUS_CODES as Record<number, string>;

/** Routes (all GET unless noted):
 *  /file.txt /other.txt /data.json       fixed documents (FIXTURES), Last-Modified 2020-01-01
 *  /static/<path>                        files from staticDir (Last-Modified = mtime)
 *  /sha256sums.txt /sha1sums.txt         "hex  name" lines for the fixtures (sha256sum format)
 *  /disposition/<name>                   file.txt content with Content-Disposition filename=<name>
 *  /json                                 JSON document; /text plain text; /html an HTML page
 *  /echo (any method)                    JSON {method, path, headers, body}
 *  /status/<code>                        that status with a short body
 *  /redirect/<n>                         302 chain of n hops ending at /file.txt; /redirect-to?url=U&status=S
 *  /basic-auth/<user>/<pass>             401 with WWW-Authenticate unless the credentials match
 *  /slow/<ms>                            answers after ms milliseconds
 *  /cookie                               sets two cookies
 *  /gzip                                 JSON sent gzip-encoded (Content-Encoding: gzip) whatever was asked
 *  /mtls-only (on mtlsUrl)               any path there needs a client certificate */
async function handle(
  server: { staticDir: string; requests: TestHttpServer['requests'] },
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const p = decodeURIComponent(url.pathname);
  server.requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
  const parts = p.split('/').filter(Boolean);
  const head = req.method === 'HEAD';
  const reply = (status: number, text: string | Buffer, headers: Record<string, string> = {}): void => {
    if (!head) return send(res, status, text, headers);
    res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(text)), ...headers });
    res.end();
  };

  // Documents carry Last-Modified and honour If-Modified-Since, as static file servers do
  // (get_url relies on it for its "304 Not Modified" idempotence).
  const document = (text: string | Buffer, type: string, mtimeMs: number): void => {
    const lastModified = new Date(Math.floor(mtimeMs / 1000) * 1000);
    const since = Date.parse(String(req.headers['if-modified-since'] ?? ''));
    if (!Number.isNaN(since) && since >= lastModified.getTime()) {
      res.writeHead(304, { 'Last-Modified': lastModified.toUTCString() });
      return void res.end();
    }
    return reply(200, text, { 'Content-Type': type, 'Last-Modified': lastModified.toUTCString() });
  };
  const fixture = FIXTURES[p.slice(1)];
  if (fixture !== undefined) {
    const type = p.endsWith('.json') ? 'application/json' : 'text/plain; charset=utf-8';
    return document(fixture, type, FIXTURE_MTIME);
  }
  switch (parts[0]) {
    case 'static': {
      const file = path.join(server.staticDir, ...parts.slice(1));
      if (!file.startsWith(server.staticDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        return reply(404, 'not found\n', { 'Content-Type': 'text/plain' });
      }
      return document(fs.readFileSync(file), 'application/octet-stream', fs.statSync(file).mtimeMs);
    }
    case 'sha256sums.txt':
    case 'sha1sums.txt': {
      const fn = parts[0] === 'sha1sums.txt' ? sha1 : sha256;
      const lines = Object.entries(FIXTURES).map(([name, text]) => `${fn(text)}  ${name}\n`);
      return reply(200, lines.join(''), { 'Content-Type': 'text/plain' });
    }
    case 'disposition':
      return reply(200, FIXTURES['file.txt'] as string, {
        'Content-Type': 'text/plain',
        'Content-Disposition': `attachment; filename="${parts[1] ?? 'download.txt'}"`,
      });
    case 'json':
      return reply(200, JSON.stringify({ status: 'ok', count: 3, list: ['a', 'b'] }), { 'Content-Type': 'application/json' });
    case 'text':
      return reply(200, 'plain text body\n', { 'Content-Type': 'text/plain' });
    case 'html':
      return reply(200, '<html><body><h1>tsible</h1></body></html>\n', { 'Content-Type': 'text/html; charset=UTF-8' });
    case 'echo': {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(req.headers).sort()) sorted[k] = req.headers[k];
      const out = { method: req.method, path: p, query: url.search, headers: sorted, body: body.toString('utf8') };
      return reply(200, JSON.stringify(out), { 'Content-Type': 'application/json' });
    }
    case 'status': {
      const code = Number(parts[1] ?? '200');
      if (code === 204 || code === 304) {
        res.writeHead(code);
        return void res.end();
      }
      return reply(code, `status ${code}\n`, { 'Content-Type': 'text/plain' });
    }
    case 'redirect': {
      const n = Number(parts[1] ?? '1');
      return reply(302, '', { Location: n > 1 ? `/redirect/${n - 1}` : '/file.txt' });
    }
    case 'redirect-to': {
      const status = Number(url.searchParams.get('status') ?? '302');
      return reply(status, '', { Location: url.searchParams.get('url') ?? '/file.txt' });
    }
    case 'basic-auth': {
      const expected = 'Basic ' + Buffer.from(`${parts[1] ?? ''}:${parts[2] ?? ''}`).toString('base64');
      if (req.headers.authorization !== expected) {
        return reply(401, 'unauthorized\n', { 'WWW-Authenticate': 'Basic realm="tsible"', 'Content-Type': 'text/plain' });
      }
      return reply(200, JSON.stringify({ authenticated: true, user: parts[1] }), { 'Content-Type': 'application/json' });
    }
    case 'slow': {
      await new Promise((r) => setTimeout(r, Number(parts[1] ?? '1000')));
      return reply(200, 'slow\n', { 'Content-Type': 'text/plain' });
    }
    case 'gzip': {
      // gzip-encoded whatever the request accepts, as httpbin's /gzip
      const json = JSON.stringify({ gzipped: true, method: req.method });
      return reply(200, zlib.gzipSync(Buffer.from(json)), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    }
    case 'cookie':
      res.setHeader('Set-Cookie', ['session=abc123; Path=/', 'theme=dark; Path=/']);
      return reply(200, 'cookies\n', { 'Content-Type': 'text/plain' });
    default:
      return reply(404, `${REASONS[404]}\n`, { 'Content-Type': 'text/plain' });
  }
}

function listen(server: http.Server | https.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts the three listeners (on free ports unless `ports` fixes them, as the parity
 *  runner needs); the PKI files land in a fresh temp dir removed by close(). */
export async function startTestHttpServer(
  opts: { staticDir?: string; ports?: { http: number; https: number; mtls: number }; pkiCacheFile?: string } = {},
): Promise<TestHttpServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-http-'));
  const staticDir = opts.staticDir ?? path.join(dir, 'static');
  fs.mkdirSync(staticDir, { recursive: true });
  const pki = loadOrMakePki(opts.pkiCacheFile);
  const caPath = path.join(dir, 'ca.pem');
  const clientCertPath = path.join(dir, 'client.pem');
  const clientKeyPath = path.join(dir, 'client.key');
  // forge writes CRLF PEMs; Ansible's ca_path reader only finds certificates in LF ones
  const lf = (pem: string) => pem.replace(/\r\n/g, '\n');
  fs.writeFileSync(caPath, lf(pki.caPem));
  fs.writeFileSync(clientCertPath, lf(pki.clientCertPem));
  fs.writeFileSync(clientKeyPath, lf(pki.clientKeyPem));

  const requests: TestHttpServer['requests'] = [];
  const state = { staticDir: fs.realpathSync(staticDir), requests };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(state, req, res).catch((e: Error) => send(res, 500, `internal error: ${e.message}\n`));
  };
  const tls = { key: pki.serverKeyPem, cert: pki.serverCertPem };
  const plain = http.createServer(handler);
  const secure = https.createServer(tls, handler);
  const mtls = https.createServer({ ...tls, ca: pki.caPem, requestCert: true, rejectUnauthorized: true }, handler);
  const servers = [plain, secure, mtls];
  const wanted = [opts.ports?.http ?? 0, opts.ports?.https ?? 0, opts.ports?.mtls ?? 0];
  const [p1, p2, p3] = await Promise.all(servers.map((s, i) => listen(s, wanted[i] ?? 0)));
  return {
    httpUrl: `http://127.0.0.1:${p1}`,
    httpsUrl: `https://127.0.0.1:${p2}`,
    mtlsUrl: `https://127.0.0.1:${p3}`,
    caPath,
    clientCertPath,
    clientKeyPath,
    staticDir: state.staticDir,
    requests,
    async close() {
      for (const s of servers) s.closeAllConnections?.();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
