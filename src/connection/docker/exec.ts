// One command in a container through the Engine API's exec endpoints: create, start with a
// hijacked stream (stdin written then half-closed, stdout/stderr demultiplexed), exit code.
import type Docker from 'dockerode';
import type { Duplex } from 'stream';
import { Writable } from 'stream';
import type { ExecResult } from '../types';

export interface ContainerExec {
  /** argv run in the container (no shell added here). */
  cmd: string[];
  stdin?: string | Buffer;
  env?: string[];
  user?: string;
  workingDir?: string;
  /** Stop waiting after this long; the result is then rc 124 (the target-side `timeout` kills it). */
  timeoutMs?: number;
}

function collector(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
}

/** Runs one exec to completion and returns its exit code and output. Rejects on API errors. */
export async function runContainerExec(docker: Docker, container: string, spec: ContainerExec): Promise<ExecResult> {
  const withStdin = spec.stdin !== undefined;
  const exec = await docker.getContainer(container).exec({
    Cmd: spec.cmd,
    AttachStdin: withStdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    Env: spec.env,
    User: spec.user,
    WorkingDir: spec.workingDir,
  });
  const stream = (await exec.start({ hijack: true, stdin: withStdin })) as unknown as Duplex;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  docker.modem.demuxStream(stream, collector(out), collector(err));
  const finished = new Promise<'done'>((resolve, reject) => {
    stream.on('end', () => resolve('done'));
    stream.on('close', () => resolve('done'));
    stream.on('error', reject);
  });
  if (withStdin) stream.end(spec.stdin);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = spec.timeoutMs
    ? new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), spec.timeoutMs);
      })
    : undefined;
  const how = await (timedOut ? Promise.race([finished, timedOut]) : finished);
  if (timer) clearTimeout(timer);
  stream.destroy(); // the socket is not reused
  const stdoutBytes = Buffer.concat(out);
  const stderr = Buffer.concat(err).toString('utf8');
  if (how === 'timeout') return { rc: 124, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes };
  const info = await exec.inspect();
  // ExitCode is null only if the process outlived its stream (should not happen once it ended)
  return { rc: info.ExitCode ?? (info.Running ? 124 : 1), stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes };
}
