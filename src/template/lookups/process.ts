// Lookups that read the controller's environment or run commands: env, pipe, lines, url.
import { execFileSync, spawnSync } from 'child_process';
import { TemplateError } from '../../errors';
import type { LookupFn } from '../plugin-types';
import { isDict, pyStr, truthy } from '../pyvalues';

const env: LookupFn = (_ctx, terms, kwargs) => {
  const dflt = 'default' in kwargs ? kwargs.default : '';
  return terms.map((t) => {
    const v = process.env[pyStr(t)];
    return v === undefined ? dflt : v;
  });
};

function runShell(command: string, lookupName: string): string {
  const r = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error) throw new TemplateError(`lookup_plugin.${lookupName}(${command}) failed: ${r.error.message}`);
  if (r.status !== 0) throw new TemplateError(`lookup_plugin.${lookupName}(${command}) returned ${r.status}`);
  return r.stdout;
}

const pipe: LookupFn = (_ctx, terms) => terms.map((t) => runShell(pyStr(t), 'pipe').replace(/\s+$/, ''));

const lines: LookupFn = (_ctx, terms) => terms.flatMap((t) => runShell(pyStr(t), 'lines').split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== ''));

/** url lookup: a synchronous fetch done in a child Node process. */
const url: LookupFn = (_ctx, terms, kwargs) => {
  const splitLines = truthy(kwargs.split_lines ?? true);
  const headers = isDict(kwargs.headers) ? kwargs.headers : {};
  const method = pyStr(kwargs.method ?? 'GET');
  const script = `
    const [u, m, h, insecure] = JSON.parse(process.argv[1]);
    if (insecure) process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    fetch(u, { method: m, headers: h }).then(async (r) => {
      const body = await r.text();
      if (!r.ok) { process.stderr.write('Received HTTP error for ' + u + ' : ' + r.status + ' ' + r.statusText); process.exit(2); }
      process.stdout.write(body);
    }).catch((e) => { process.stderr.write('Failed lookup url for ' + u + ' : ' + e.message); process.exit(3); });`;
  const out: string[] = [];
  for (const t of terms) {
    const args = JSON.stringify([pyStr(t), method, headers, !truthy(kwargs.validate_certs ?? true)]);
    let body: string;
    try {
      body = execFileSync(process.execPath, ['-e', script, args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: Number(kwargs.timeout ?? 10) * 1000 });
    } catch (e) {
      const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message);
      throw new TemplateError(stderr.trim());
    }
    if (splitLines) out.push(...body.split('\n').filter((l, i, all) => i < all.length - 1 || l !== ''));
    else out.push(body);
  }
  return out;
};

export const processLookups = { env, pipe, lines, url } satisfies Record<string, LookupFn>;
