// Lookups that read the controller's environment or run commands: env, pipe, lines, url.
import { execFileSync, spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { TemplateError } from '../../errors';
import type { LookupFn, PluginContext } from '../plugin-types';
import { isDict, isUndefined, pyStr, truthy } from '../pyvalues';

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

/**
 * The url lookup's child: one request (redirects followed as urllib does), printed body on
 * stdout; failures in Ansible's words on stderr (exit 2: HTTP error, 3: no answer).
 */
const URL_CHILD = `
const [u0, o] = JSON.parse(process.argv[1]);
const lib = { 'http:': require('http'), 'https:': require('https') };
const fail = (code, msg) => { process.stderr.write(msg); process.exit(code); };
const sslWords = (e) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
  ? 'Hostname mismatch, certificate is not valid for ' + JSON.stringify(e.host || '').replace(/"/g, "'") + '. (_ssl.c:992)'
  : e.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || e.code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' || e.code === 'SELF_SIGNED_CERT_IN_CHAIN' || e.code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
  ? 'unable to get local issuer certificate (_ssl.c:992)' : null;
function get(u, left) {
  const url = new URL(u);
  const mod = lib[url.protocol];
  if (!mod) fail(3, 'Failed lookup url for ' + u0 + ' : <urlopen error unknown url type: ' + url.protocol.slice(0, -1) + '>');
  const req = mod.request(url, { method: o.method, headers: o.headers, rejectUnauthorized: o.validate, ciphers: o.ciphers || undefined, timeout: o.timeout * 1000 }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      const st = res.statusCode;
      if ([301, 302, 303, 307, 308].includes(st) && res.headers.location && o.follow && left > 0) return get(new URL(res.headers.location, url).href, left - 1);
      if (st >= 400 || (st >= 300 && !o.follow)) fail(2, 'Received HTTP error for ' + u0 + ' : HTTP Error ' + st + ': ' + require('http').STATUS_CODES[st]);
      process.stdout.write(Buffer.concat(chunks));
    });
  });
  req.on('timeout', () => req.destroy(Object.assign(new Error('The read operation timed out'), { code: 'TIMEOUT' })));
  req.on('error', (e) => {
    const ssl = sslWords(e);
    if (ssl) fail(3, 'Failed lookup url for ' + u0 + ' : <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ' + ssl + '>');
    if (e.code === 'ENOTFOUND') fail(3, 'Failed lookup url for ' + u0 + ' : <urlopen error [Errno -2] Name or service not known>');
    if (e.code === 'ECONNREFUSED') fail(3, 'Failed lookup url for ' + u0 + ' : <urlopen error [Errno 111] Connection refused>');
    if (/SSL|TLS|handshake/i.test(e.code + ' ' + e.message)) fail(3, 'Failed lookup url for ' + u0 + ' : <urlopen error [SSL] ' + e.message + '>');
    fail(3, 'Failed lookup url for ' + u0 + ' : ' + e.message);
  });
  if (o.body) req.write(o.body);
  req.end();
}
get(u0, 10);`;

/** ~/.netrc's login and password for a host (Python's netrc: machine, then default). */
function netrcLogin(host: string): [string, string] | null {
  let text: string;
  try {
    text = readFileSync(process.env.NETRC ?? `${process.env.HOME ?? ''}/.netrc`, 'utf8');
  } catch {
    return null;
  }
  const words = text.split(/\s+/).filter(Boolean);
  let found: [string, string] | null = null;
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== 'machine' && words[i] !== 'default') continue;
    const isDefault = words[i] === 'default';
    const name = isDefault ? '' : (words[++i] ?? '');
    let login = '';
    let password = '';
    for (let j = i + 1; j < words.length && words[j] !== 'machine' && words[j] !== 'default'; j += 2) {
      if (words[j] === 'login') login = words[j + 1] ?? '';
      if (words[j] === 'password') password = words[j + 1] ?? '';
    }
    if (name === host) return [login, password];
    if (isDefault && !found) found = [login, password];
  }
  return found;
}

/** An option of the url lookup: keyword, else its ansible_lookup_url_* variable, else the default. */
function urlOption(ctx: PluginContext, kwargs: Record<string, unknown>, name: string, dflt: unknown): unknown {
  if (name in kwargs) return kwargs[name];
  const v = ctx.resolveVariable(`ansible_lookup_url_${name}`);
  return v === undefined || isUndefined(v) ? dflt : v;
}

/** url lookup: a synchronous request done in a child Node process, trusting the system's CAs. */
const url: LookupFn = (ctx, terms, kwargs) => {
  const opt = (name: string, dflt: unknown) => urlOption(ctx, kwargs, name, dflt);
  const splitLines = truthy(opt('split_lines', true));
  const baseHeaders: Record<string, string> = {};
  const given = opt('headers', {});
  if (isDict(given)) for (const [k, v] of Object.entries(given)) baseHeaders[k] = pyStr(v);
  const ciphers = opt('ciphers', null);
  const user = opt('username', null);
  const password = opt('password', null);
  const out: string[] = [];
  for (const t of terms) {
    const term = pyStr(t);
    const headers: Record<string, string> = { 'User-Agent': pyStr(opt('http_agent', 'ansible-httpget')), ...baseHeaders };
    if (user !== null && user !== undefined && truthy(opt('force_basic_auth', false))) {
      headers.Authorization = 'Basic ' + Buffer.from(`${pyStr(user)}:${pyStr(password ?? '')}`).toString('base64');
    } else if (truthy(opt('use_netrc', true)) && (user === null || user === undefined)) {
      // open_url: a ~/.netrc entry for the host replaces any Authorization header given
      const login = netrcLogin(new URL(term).hostname);
      if (login && login[0] && login[1]) headers.Authorization = 'Basic ' + Buffer.from(`${login[0]}:${login[1]}`).toString('base64');
    }
    const follow = pyStr(opt('follow_redirects', 'urllib2'));
    const o = {
      method: pyStr(opt('method', 'GET')), headers, validate: truthy(opt('validate_certs', true)),
      ciphers: Array.isArray(ciphers) ? ciphers.map(pyStr).join(':') : ciphers ? pyStr(ciphers) : '',
      timeout: Number(opt('timeout', 10)), follow: !['no', 'none', 'false'].includes(follow.toLowerCase()),
    };
    let body: string;
    try {
      // the system's CA store (as Python's ssl default), not Node's bundled one
      body = execFileSync(process.execPath, ['--use-openssl-ca', '-e', URL_CHILD, JSON.stringify([term, o])], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: (o.timeout + 5) * 1000,
      });
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
