// A lock across processes for the parity HTTP server's fixed ports: the parity suites run in
// parallel jest workers (and over SSH), and their outputs name the ports, so cases that need
// the server take turns instead of choosing other ports.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const LOCK_DIR = path.join(os.tmpdir(), 'tsible-parity-http.lock');

function holderAlive(): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
    if (!pid) return true; // being written: treat as held
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until this process holds the lock; returns its release function. */
export async function acquirePortLock(timeoutMs = 600_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      return () => fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!holderAlive()) {
        fs.rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK_DIR}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
