// uri: one HTTP request from the target (curl), returning Ansible's result: status, msg,
// headers with underscores, cookies, content/json, and an optional dest file write.
import * as path from 'path';
import { pyJsonDumps, isDict, pyStr } from '../../template/pyvalues';
import { atomicWrite, attrNames, catchFail, ModuleFail, pathInfo, planAttrs, probe } from '../common';
import type { PathStat } from '../common';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { download } from './download';
import { urlArgumentOptions, type FollowRedirects, type HttpRequest } from './http-request';
import { filenameFromHeaders } from './get_url';
import { multipartBody, readUploadFile } from './multipart';
import { maskedResult, urlNoLogValues } from './no-log-values';
import { FILE_COMMON_SPEC, URL_COMMON_SPEC } from './specs';

const JSON_CANDIDATES = new Set(['json', 'javascript']);
/** Result keys uri never masks a no_log value in. */
const NO_MODIFY_KEYS: ReadonlySet<string> = new Set(['msg', 'exception', 'warnings', 'deprecations', 'failed', 'skipped', 'changed', 'rc', 'stdout', 'stderr', 'elapsed', 'path', 'location', 'content_type']);

function followMode(v: string): FollowRedirects {
  if (v === 'none' || v === 'no') return 'none';
  if (v === 'safe') return 'safe';
  if (v === 'urllib2') return 'urllib2';
  return 'all';
}

/** Python's tuple unpacking of one list element into (key, values), with its ValueError texts. */
function unpackPair(p: unknown): [unknown, unknown] {
  const parts: unknown[] = typeof p === 'string' ? [...p] : Array.isArray(p) ? p : isDict(p) ? Object.keys(p) : [];
  if (typeof p !== 'string' && !Array.isArray(p) && !isDict(p)) throw new ModuleFail(`failed to parse body as form_urlencoded: cannot unpack non-iterable object`, { elapsed: 0 });
  if (parts.length > 2) throw new ModuleFail('failed to parse body as form_urlencoded: too many values to unpack (expected 2)', { elapsed: 0 });
  if (parts.length < 2) throw new ModuleFail(`failed to parse body as form_urlencoded: not enough values to unpack (expected 2, got ${parts.length})`, { elapsed: 0 });
  return [parts[0], parts[1]];
}

/** Ansible's form_urlencoded: a dict or a list of pairs, list/dict values repeated, None dropped (quote_plus encoding). */
export function formUrlencode(body: unknown): string {
  const pairs: [unknown, unknown][] = isDict(body) ? Object.entries(body) : Array.isArray(body) ? body.map(unpackPair) : [];
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%7E/g, '~');
  const out: string[] = [];
  for (const [k, v] of pairs) {
    const values = Array.isArray(v) ? v : isDict(v) ? Object.keys(v) : [v];
    for (const x of values) if (x !== null && x !== undefined) out.push(`${enc(pyStr(k))}=${enc(pyStr(x))}`);
  }
  return out.join('&');
}

function contentType(headers: Record<string, string>): { sub: string; charset: string } {
  const ct = headers['content-type'] ?? 'application/octet-stream';
  const [mime, ...params] = ct.split(';');
  const sub = (mime ?? '').split('/')[1]?.trim() ?? '';
  const charset = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('charset='))?.slice(8) ?? 'utf-8';
  return { sub, charset };
}

async function run(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const url = args.url as string;
  const method = (args.method as string).toUpperCase();
  const bodyFormat = (args.body_format as string).toLowerCase();
  const statusCodes = args.status_code as number[];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((args.headers as Record<string, unknown>) ?? {})) headers[k] = pyStr(v);
  if (!/^[A-Z]+$/.test(method)) throw new ModuleFail("Parameter 'method' needs to be a single word in uppercase, like GET or POST.");

  let body: string | null = null;
  const raw = args.body;
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (bodyFormat === 'json') {
    // no body at all is json.dumps(None): Ansible sends "null"
    body = typeof raw === 'string' ? raw : pyJsonDumps(raw ?? null);
    if (!hasType) headers['Content-Type'] = 'application/json';
  } else if (bodyFormat === 'form-urlencoded') {
    if (raw !== null && raw !== undefined) body = typeof raw === 'string' ? raw : formUrlencode(raw);
    if (!hasType) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (bodyFormat === 'form-multipart') {
    const multipart = await multipartBody(ctx, raw, args.remote_src as boolean);
    body = multipart.body;
    headers['Content-Type'] = multipart.contentType;
  } else if (raw !== null && raw !== undefined) {
    body = pyStr(raw);
  }
  // src replaces body (read as text); body_format still names the Content-Type
  if (args.src) body = (await readUploadFile(ctx, args.src as string, args.remote_src as boolean)).toString('utf8');

  const creates = args.creates as string | null;
  const removes = args.removes as string | null;
  if (creates !== null || removes !== null) {
    const st = (await probe(ctx.conn, { paths: [creates ?? removes ?? ''], follow: true })).stats[0] as PathStat;
    if (creates !== null && st.exists) return { changed: false, stdout: `skipped, since '${creates}' exists` };
    if (creates === null && removes !== null && !st.exists) return { changed: false, stdout: `skipped, since '${removes}' does not exist` };
  }

  // an existing dest file makes the request conditional (If-Modified-Since), as Ansible's uri does
  let dest = args.dest as string | null;
  const names = attrNames({ owner: args.owner as string | null, group: args.group as string | null });
  const destProbe = dest !== null ? await probe(ctx.conn, { paths: [dest], ...names }) : null;
  const destStat = destProbe?.stats[0];
  const ifModifiedSince = destStat?.exists && destStat.type !== 'directory' ? Math.floor(destStat.mtime) : null;

  const req: HttpRequest = {
    ifModifiedSince,
    url,
    method,
    headers,
    body,
    ...urlArgumentOptions(args),
    follow: followMode(args.follow_redirects as string),
    bodyFile: '$_bf',
    noCache: args.force as boolean,
  };
  const got = await download(ctx, req, '/tmp', null, true);
  const info = got.info;
  const answered = info.status !== -1;
  const ct = contentType(info.headers);
  const maybeJson = answered && JSON_CANDIDATES.has((ct.sub.includes('+') ? ct.sub.split('+')[1] ?? '' : ct.sub).toLowerCase());

  const resp: ModuleResult = { redirected: info.url !== url };
  for (const [k, v] of Object.entries(info.headers)) resp[k.replace(/-/g, '_')] = v;
  if (answered && info.status >= 200 && info.status < 400 && info.status !== 304) {
    resp.cookies_string = Object.entries(info.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
    resp.cookies = info.cookies;
  }
  Object.assign(resp, { msg: info.msg, url: info.url, elapsed: 0, status: info.status, changed: false });
  if (typeof resp.location === 'string') resp.location = new URL(resp.location, url).toString();

  if (answered && dest !== null && destProbe) {
    const st = destProbe;
    if ((st.stats[0] as PathStat).type === 'directory') dest = path.posix.join(dest, filenameFromHeaders(info.headers) ?? 'index.html');
    if (statusCodes.includes(info.status) && info.status !== 304) {
      const parent = (await probe(ctx.conn, { paths: [path.posix.dirname(dest)] })).stats[0] as PathStat;
      // as AnsibleModule.atomic_move into a directory that is not there
      if (!parent.exists) throw new ModuleFail(`Could not replace file: ${got.tmp} to ${dest}: [Errno 2] No such file or directory: '${got.tmp}' -> '${dest}'`);
      await atomicWrite(ctx.conn, { dest, content: Buffer.from(got.body, 'utf8') });
      const now = (await probe(ctx.conn, { paths: [dest] })).stats[0] as PathStat;
      const plan = planAttrs(dest, now, args, st);
      if (plan.changed) await ctx.conn.exec(plan.commands.join(' &&\n') + '\n');
      resp.changed = true;
      Object.assign(resp, pathInfo((await probe(ctx.conn, { paths: [dest] })).stats[0] as PathStat));
    } else if (destStat?.exists && destStat.type !== 'directory') {
      Object.assign(resp, pathInfo(destStat));
    }
    resp.path = dest;
  }

  let content: string | null = null;
  if (answered) {
    content = got.body;
    if (maybeJson) {
      try {
        resp.json = JSON.parse(content);
      } catch {
        /* not JSON after all: Ansible leaves json unset */
      }
    }
  }
  const returnContent = args.return_content as boolean;
  if (!statusCodes.includes(info.status)) {
    resp.msg = `Status code was ${info.status} and not [${statusCodes.join(', ')}]: ${info.msg}`;
    throw new ModuleFail(resp.msg as string, returnContent ? { ...resp, content } : resp);
  }
  return returnContent ? { ...resp, content } : resp;
}

export const uriModule: ModuleDef = {
  name: 'uri',
  checkMode: false,
  spec: {
    ...URL_COMMON_SPEC,
    ...FILE_COMMON_SPEC,
    url: { type: 'str', required: true },
    dest: { type: 'path' },
    url_username: { type: 'str', aliases: ['user'] },
    url_password: { type: 'str', aliases: ['password'], noLog: true },
    body: { type: 'raw' },
    body_format: { type: 'str', default: 'raw', choices: ['form-urlencoded', 'json', 'raw', 'form-multipart'] },
    src: { type: 'path' },
    method: { type: 'str', default: 'GET' },
    return_content: { type: 'bool', default: false },
    follow_redirects: { type: 'str', default: 'safe', choices: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'] },
    creates: { type: 'path' },
    removes: { type: 'path' },
    status_code: { type: 'list', elements: 'int', default: [200] },
    timeout: { type: 'int', default: 30 },
    headers: { type: 'dict', default: {} },
    unix_socket: { type: 'path' },
    remote_src: { type: 'bool', default: false },
    ca_path: { type: 'path', default: null },
    unredirected_headers: { type: 'list', elements: 'str', default: [] },
    decompress: { type: 'bool', default: true },
    ciphers: { type: 'list', elements: 'str' },
    use_netrc: { type: 'bool', default: true },
  },
  constraints: { mutuallyExclusive: [['body', 'src']] },
  run: (args, ctx) => maskedResult(urlNoLogValues(args), () => catchFail(() => run(args, ctx)), NO_MODIFY_KEYS),
};
