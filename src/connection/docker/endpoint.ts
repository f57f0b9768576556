// Which Docker Engine to talk to: DOCKER_HOST (and DOCKER_TLS_VERIFY/DOCKER_CERT_PATH) as the
// docker CLI reads them, overridden by the CLI flags of ansible_docker_extra_args that name an engine.
import Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TsibleError } from '../../errors';
import { shSplit } from '../quote';

export interface EngineEndpoint {
  host?: string; // unix:///..., tcp://..., ssh://...
  tls?: boolean;
  tlsVerify?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

const VALUE_FLAGS: Record<string, keyof EngineEndpoint> = {
  '-H': 'host',
  '--host': 'host',
  '--tlscacert': 'caFile',
  '--tlscert': 'certFile',
  '--tlskey': 'keyFile',
};

/** Reads the engine flags of `docker_extra_args`; any other flag is refused by name. */
export function parseDockerExtraArgs(extra: string | undefined): EngineEndpoint {
  const ep: EngineEndpoint = {};
  const words = extra ? shSplit(extra) : [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const [flag, inline] = word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const key = VALUE_FLAGS[flag];
    if (key) {
      const value = inline ?? words[++i];
      if (value === undefined) throw new TsibleError('CONNECTION', `ansible_docker_extra_args: ${flag} needs a value`);
      (ep as Record<string, unknown>)[key] = value;
    } else if (flag === '--tls') ep.tls = inline === undefined || inline === 'true';
    else if (flag === '--tlsverify') ep.tlsVerify = inline === undefined || inline === 'true';
    else throw new TsibleError('CONNECTION', `ansible_docker_extra_args: '${flag}' is not supported by tsible's docker connection (it talks to the Engine API; supported: -H/--host, --tls, --tlsverify, --tlscacert, --tlscert, --tlskey)`);
  }
  return ep;
}

/** A Docker Engine client for the endpoint, falling back to DOCKER_HOST and then the local socket. */
export function engineClient(ep: EngineEndpoint = {}, env: NodeJS.ProcessEnv = process.env): Docker {
  const host = ep.host ?? env.DOCKER_HOST;
  if (!host) return new Docker({ socketPath: '/var/run/docker.sock' });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host);
  if (url.protocol === 'ssh:') {
    return new Docker({ protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined } as Docker.DockerOptions);
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TsibleError('CONNECTION', `unsupported Docker host '${host}' (unix://, tcp:// or ssh:// expected)`);
  }
  const verify = ep.tlsVerify ?? (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '');
  const tls = verify || ep.tls === true || url.protocol === 'https:';
  if (!tls) return new Docker({ protocol: 'http', host: url.hostname, port: url.port || 2375 });
  const certDir = env.DOCKER_CERT_PATH || path.join(os.homedir(), '.docker');
  const read = (file: string | undefined, name: string): Buffer | undefined => {
    const p = file ?? path.join(certDir, name);
    return fs.existsSync(p) ? fs.readFileSync(p) : undefined;
  };
  return new Docker({
    protocol: 'https',
    host: url.hostname,
    port: url.port || 2376,
    ca: verify ? read(ep.caFile, 'ca.pem') : undefined,
    cert: read(ep.certFile, 'cert.pem'),
    key: read(ep.keyFile, 'key.pem'),
  });
}
