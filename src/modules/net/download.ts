// Runs one HTTP request on the target into a temp file and reports what arrived:
// Ansible's info dict, the temp path, digests, and optionally the body bytes.
import { shQuote } from '../../connection/quote';
import { ModuleFail } from '../common';
import type { ModuleContext } from '../types';
import { curlConfig, parseResponse, requestScript } from './http-request';
import type { HttpRequest } from './http-request';

/** Runs one request into $_bf (a temp file in tmpDir) and reports digests of what arrived. */
export async function download(ctx: ModuleContext, req: HttpRequest, tmpDir: string, algo: string | null, cat = false) {
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

