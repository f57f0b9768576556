// Services some cases need (a real HTTP/HTTPS server on loopback), and the extra
// vars that tell the playbook where they are. Fixed ports keep outputs comparable.
import type { ParityCase } from './case';
import { acquirePortLock } from './port-lock';

export interface CaseServices {
  extraArgs: string[];
  stop(): Promise<void>;
}

export const PARITY_HTTP_PORT = 18080;
export const PARITY_HTTPS_PORT = 18443;

export async function startServices(c: ParityCase, tmpDir?: string): Promise<CaseServices> {
  if (!c.httpServer) return { extraArgs: [], stop: async () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { startParityHttpServer } = require('../../support/parity-http') as {
    startParityHttpServer(httpPort: number, httpsPort: number, tmpDir?: string): Promise<{ vars: Record<string, string>; stop(): Promise<void> }>;
  };
  const release = await acquirePortLock();
  try {
    const server = await startParityHttpServer(PARITY_HTTP_PORT, PARITY_HTTPS_PORT, tmpDir);
    return {
      extraArgs: ['-e', JSON.stringify(server.vars)],
      stop: async () => {
        try {
          await server.stop();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
