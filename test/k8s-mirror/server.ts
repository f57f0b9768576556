// The artifact mirror's HTTP server: serves the built mirror's files at their public URL paths
// (/<host>/<path>), with aliases for older URL shapes (storage.googleapis.com/kubernetes-release,
// github.com/coreos/flannel), HEAD, and a log of what was fetched.
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';

const ALIASES: readonly (readonly [string, string])[] = [
  ['/storage.googleapis.com/kubernetes-release/release/', '/dl.k8s.io/release/'],
  ['/dl.k8s.io/', '/dl.k8s.io/release/'],
  ['/github.com/coreos/flannel/', '/github.com/flannel-io/flannel/'],
];

export interface MirrorServer {
  /** http://host:port (no trailing slash); a role's base URL is `${url}/${mirror.bases.x}`. */
  url: string;
  port: number;
  /** Paths requested, in order, with the status answered. */
  requests: { method: string; path: string; status: number }[];
  stop(): Promise<void>;
}

function resolve(root: string, urlPath: string): string | null {
  const candidates = [urlPath];
  for (const [from, to] of ALIASES) if (urlPath.startsWith(from) && !urlPath.startsWith(to)) candidates.push(to + urlPath.slice(from.length));
  for (const c of candidates) {
    const file = path.join(root, path.normalize(decodeURIComponent(c)).replace(/^(\.\.[/\\])+/, ''));
    if (file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  return null;
}

export async function startMirrorServer(root: string, opts: { port?: number; host?: string; advertise?: string } = {}): Promise<MirrorServer> {
  const requests: MirrorServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const urlPath = (req.url ?? '/').split('?')[0] ?? '/';
    const file = req.method === 'GET' || req.method === 'HEAD' ? resolve(root, urlPath) : null;
    const status = file ? 200 : req.method === 'GET' || req.method === 'HEAD' ? 404 : 405;
    requests.push({ method: req.method ?? '', path: urlPath, status });
    if (!file) {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status === 404 ? 'Not Found\n' : 'Method Not Allowed\n');
      return;
    }
    const st = fs.statSync(file);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': st.size, 'Last-Modified': st.mtime.toUTCString() });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.advertise ?? (opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1');
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    stop: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
