// Runs an HTTP request on the target into a temp file and reports what arrived: Ansible's info
// dict, the temp path, digests, and optionally the body bytes; follows redirects itself when needed.
import { shQuote } from '../../connection/quote';
import { ModuleFail } from '../common';
import type { ModuleContext } from '../types';
import { curlConfig, parseResponse, requestScript } from './http-request';
import type { HttpRequest } from './http-request';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/**
 * Runs a request into $_bf (a temp file in tmpDir) and reports digests of what arrived.
 * With unredirected headers, redirects are followed here, one request per hop, so that those
 * headers (and, for 'authorization', the credentials) go to the first URL only, as urllib does.
 */
export async function download(ctx: ModuleContext, req: HttpRequest, tmpDir: string, algo: string | null, cat = false) {
  const unredirected = new Set((req.unredirectedHeaders ?? []).map((h) => h.toLowerCase()));
  if (unredirected.size === 0 || req.follow === 'none') return downloadOnce(ctx, req, tmpDir, algo, cat);
  let current: HttpRequest = { ...req, follow: 'none' };
  for (let hop = 0; ; hop++) {
    const got = await downloadOnce(ctx, current, tmpDir, algo, cat);
    const location = got.info.headers.location;
    const safe = current.method === 'GET' || current.method === 'HEAD';
    if (!REDIRECTS.has(got.info.status) || !location || hop >= MAX_REDIRECTS || (req.follow === 'safe' && !safe)) {
      return got.info.status >= 300 ? { ...got, info: { ...got.info, url: req.url } } : got;
    }
    if (got.tmp) await ctx.conn.exec(`rm -f -- ${shQuote(got.tmp)}\n`);
    const keepMethod = got.info.status === 307 || got.info.status === 308 || current.method === 'HEAD';
    const headers = Object.fromEntries(Object.entries(current.headers).filter(([k]) => !unredirected.has(k.toLowerCase())));
    const dropAuth = unredirected.has('authorization');
    current = {
      ...current,
      url: new URL(location, current.url).toString(),
      headers,
      method: keepMethod ? current.method : 'GET',
      body: keepMethod ? current.body : null,
      ...(dropAuth ? { username: null, password: null } : {}),
    };
  }
}

async function downloadOnce(ctx: ModuleContext, req: HttpRequest, tmpDir: string, algo: string | null, cat = false) {
  const script = [
    `_bf=$(mktemp -p ${shQuote(tmpDir)} .tsible_dl_XXXXXXXX) || { echo NOTMP; exit 0; }`,
    requestScript(req).trimEnd(),
    `echo "TMP $_bf"; echo "SHA1 $(sha1sum < "$_bf" | cut -d' ' -f1)"`,
    algo ? `echo "ALGO $(${algo}sum < "$_bf" | cut -d' ' -f1)"` : '',
    cat ? `echo BODY; cat "$_bf"; rm -f -- "$_bf"` : '',
  ].filter(Boolean);
  const r = await ctx.conn.exec(script.join('\n') + '\n', { stdin: curlConfig(req) });
  if (/^NOTMP$/m.test(r.stdout)) throw new ModuleFail(`${tmpDir} directory does not exist.`, { elapsed: 0 });
  const parsed = parseResponse(req, r.stdout);
  const field = (k: string) => new RegExp(`^${k} (.*)$`, 'm').exec(r.stdout)?.[1] ?? '';
  const bodyAt = r.stdout.indexOf('\nBODY\n');
  return {
    ...parsed,
    tmp: field('TMP'),
    sha1: field('SHA1'),
    algoDigest: field('ALGO'),
    body: bodyAt >= 0 ? r.stdout.slice(bodyAt + 6) : '',
  };
}

