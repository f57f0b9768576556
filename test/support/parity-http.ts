// The parity runner's HTTP/HTTPS service: the test server in a child process on fixed
// ports (mTLS on httpsPort+1), and the extra vars that point playbooks at it.
import { spawn } from 'child_process';
import * as path from 'path';

export interface ParityHttpServer {
  vars: Record<string, string>;
  stop(): Promise<void>;
}

const MAIN = path.join(__dirname, 'http-server-main.ts');
const STARTUP_TIMEOUT_MS = 30_000;

/** `tmpDir` is where the server writes its CA and client files (default: the OS temp dir). */
export function startParityHttpServer(httpPort: number, httpsPort: number, tmpDir?: string): Promise<ParityHttpServer> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', MAIN, String(httpPort), String(httpsPort), String(httpsPort + 1)],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: path.resolve(__dirname, '..', '..'), env: tmpDir ? { ...process.env, TMPDIR: tmpDir } : process.env },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`parity HTTP server did not start in time: ${stderr}`));
    }, STARTUP_TIMEOUT_MS);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^READY (.*)$/m.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve({ vars: JSON.parse(m[1] as string) as Record<string, string>, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`parity HTTP server exited (${code}) before it was ready: ${stderr}`));
    });
  });
}
