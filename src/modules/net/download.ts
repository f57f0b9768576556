// Runs an HTTP request on the target into a temp file and reports what arrived: Ansible's info
// dict, the temp path, digests, and optionally the body bytes; follows redirects itself when needed.
import { shQuote } from '../../connection/quote';
import { ModuleFail } from '../common';
import type { ModuleContext } from '../types';
import { curlConfig, parseResponse, requestScript } from './http-request';
import type { HttpRequest } from './http-request';
import { nextRequest, REDIRECT_CODES } from './redirect';

const MAX_REDIRECTS = 10;

/**
 * Runs a request into $_bf (a temp file in tmpDir) and reports digests of what arrived.
 * Redirects are followed here, one request per hop, with the method, body and headers each
 * follow_redirects mode gives the next request (unredirected headers go to the first URL only).
 */
export async function download(ctx: ModuleContext, req: HttpRequest, tmpDir: string, algo: string | null, cat = false) {
  const unredirected = new Set((req.unredirectedHeaders ?? []).map((h) => h.toLowerCase()));
  let current: HttpRequest = { ...req, follow: 'none' };
  for (let hop = 0; ; hop++) {
    const got = await downloadOnce(ctx, current, tmpDir, algo, cat);
    const location = got.info.headers.location;
    const code = got.info.status;
    const next = location && REDIRECT_CODES.has(code) && hop < MAX_REDIRECTS ? nextRequest(req.follow, current, code, location, unredirected) : null;
    // an error answer (a redirect not followed included) reports the URL asked for, as fetch_url
    if (!next) return code < 200 || code >= 300 ? { ...got, info: { ...got.info, url: req.url } } : got;
    if (got.tmp) await ctx.conn.exec(`rm -f -- ${shQuote(got.tmp)}\n`);
    current = next;
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

