// get_url: downloads a URL on the target with curl into a temp file, verifies the checksum,
// and moves it over dest only when the content differs (Ansible 2.14 semantics and results).
import * as path from 'path';
import { shQuote } from '../../connection/quote';
import { attrNames, catchFail, finalizeTemp, ModuleFail, pathInfo, planAttrs, probe, probeScript, parseProbe, tempPathBeside } from '../common';
import type { PathStat } from '../common';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { download } from './download';
import { maskedResult, urlNoLogValues } from './no-log-values';
import { urlArgumentOptions, type HttpRequest } from './http-request';
import { FILE_COMMON_SPEC, URL_COMMON_SPEC } from './specs';

const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const ALGORITHMS = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

export function urlFilename(url: string): string {
  let p: string;
  try {
    p = new URL(url).pathname;
  } catch {
    p = url.split(/[?#]/)[0] ?? '';
  }
  return path.posix.basename(decodeURIComponent(p)) || 'index.html';
}

export function filenameFromHeaders(headers: Record<string, string>): string | undefined {
  const m = /^attachment; ?filename="?([^"]+)/.exec(headers['content-disposition'] ?? '');
  return m?.[1] ? path.posix.basename(m[1]) : undefined;
}

/** Picks the checksum for `filename` from a sha256sum-style file (or a lone hash). */
export function checksumFromFile(text: string, filename: string): string | undefined {
  const lines = text.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '');
  if (lines.length === 1 && (lines[0] ?? '').split(/\s+/).filter(Boolean).length === 1) return lines[0];
  for (const line of lines) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    let name = line.slice(sp + 1);
    if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1);
    if (name.replace(/^[./]+/, '') === filename) return line.slice(0, sp);
  }
  return undefined;
}

function baseRequest(args: Record<string, unknown>, url: string, bodyFile: string): HttpRequest {
  return {
    url,
    method: 'GET',
    headers: Object.fromEntries(Object.entries((args.headers as Record<string, unknown>) ?? {}).map(([k, v]) => [k, String(v)])),
    ...urlArgumentOptions(args),
    follow: 'safe',
    bodyFile,
  };
}

async function run(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  const url = args.url as string;
  let dest = args.dest as string;
  let force = args.force as boolean;
  const result: ModuleResult = { changed: false, checksum_dest: null, checksum_src: null, dest, elapsed: 0, url };
  const tmpDir = (args.tmp_dest as string | null) ?? '/tmp';

  let algo: string | null = null;
  let wanted = '';
  const checksumArg = (args.checksum as string) ?? '';
  if (checksumArg) {
    const colon = checksumArg.indexOf(':');
    if (colon < 0) throw new ModuleFail('The checksum parameter has to be in format <algorithm>:<checksum>', result);
    algo = checksumArg.slice(0, colon);
    wanted = checksumArg.slice(colon + 1);
    if (!ALGORITHMS.has(algo)) throw new ModuleFail(`Could not hash file '${dest}' with algorithm '${algo}'. Available algorithms: md5, sha1, sha224, sha256, sha384, sha512`, result);
    if (/^(https?|ftp|file):\//.test(wanted)) {
      const checksumUrl = wanted;
      const got = await download(ctx, baseRequest(args, checksumUrl, '$_bf'), tmpDir, null, true);
      failOnBadStatus(got.info, checksumUrl, dest);
      const found = checksumFromFile(got.body, urlFilename(url));
      if (found === undefined) throw new ModuleFail(`Unable to find a checksum for file '${urlFilename(url)}' in '${checksumUrl}'`);
      wanted = found;
    }
    wanted = wanted.replace(/[\W_]+/g, '').toLowerCase();
    if (!/^[0-9a-f]+$/.test(wanted)) throw new ModuleFail('The checksum format is invalid', result);
  }

  const names = attrNames({ owner: args.owner as string | null, group: args.group as string | null });
  const first = await probe(ctx.conn, { paths: [dest], checksum: true, checksumTool: algo ? `${algo}sum` : 'sha1sum', ...names });
  const destStat = first.stats[0] as PathStat;
  const destIsDir = destStat.type === 'directory' || (destStat.type === 'link' && dest.endsWith('/'));
  let ifModifiedSince: number | null = null;
  if (!destIsDir && destStat.exists) {
    const mismatch = !force && !!wanted && destStat.checksum !== wanted;
    if (!force && wanted && !mismatch) {
      const plan = planAttrs(dest, destStat, args, first);
      if (plan.changed && !ctx.check) await applyCommands(ctx, plan.commands);
      const after = plan.changed ? (await probe(ctx.conn, { paths: [dest] })).stats[0] as PathStat : destStat;
      return { ...result, changed: plan.changed, msg: plan.changed ? 'file already exists but file attributes changed' : 'file already exists', ...pathInfo(after) };
    }
    ifModifiedSince = Math.floor(destStat.mtime);
    if (mismatch) force = true;
  }

  const req: HttpRequest = { ...baseRequest(args, url, '$_bf'), method: ctx.check ? 'HEAD' : 'GET', ifModifiedSince, noCache: force };
  const got = await download(ctx, req, tmpDir, algo);
  const cleanup = () => ctx.conn.exec(`rm -f -- ${shQuote(got.tmp)}\n`);
  if (got.info.status === 304) {
    await cleanup();
    const st = (await probe(ctx.conn, { paths: [dest] })).stats[0] as PathStat;
    return { url, dest, changed: false, msg: got.info.msg, status_code: 304, elapsed: 0, ...pathInfo(st) };
  }
  if (got.info.status !== 200) {
    await cleanup();
    failOnBadStatus(got.info, url, dest);
  }
  result.src = got.tmp;
  if (destIsDir) {
    dest = path.posix.join(dest, filenameFromHeaders(got.info.headers) ?? urlFilename(got.info.url));
    result.dest = dest;
  }
  result.checksum_src = ctx.check ? EMPTY_SHA1 : got.sha1;

  const second = await probe(ctx.conn, { paths: [dest, path.posix.dirname(dest)], checksum: true, ...names });
  const [finalStat, dirStat] = second.stats as [PathStat, PathStat];
  if (finalStat.exists) {
    result.checksum_dest = finalStat.checksum ?? null;
    if (!finalStat.writeable) fail(cleanup, `Destination ${dest} is not writable`, result);
    if (!finalStat.readable) fail(cleanup, `Destination ${dest} is not readable`, result);
  } else if (!dirStat.exists) {
    await cleanup();
    throw new ModuleFail(`Destination ${path.posix.dirname(dest)} does not exist`, result);
  } else if (!dirStat.writeable) {
    await cleanup();
    throw new ModuleFail(`Destination ${path.posix.dirname(dest)} is not writable`, result);
  }

  if (ctx.check) {
    await cleanup();
    const changed = result.checksum_src !== result.checksum_dest;
    return { ...result, changed, msg: got.info.msg, ...pathInfo(finalStat) };
  }

  let backupFile: string | undefined;
  let changed = false;
  if (result.checksum_src !== result.checksum_dest) {
    const beside = tempPathBeside(dest);
    const cp = await ctx.conn.exec(`cp -- ${shQuote(got.tmp)} ${shQuote(beside)} && rm -f -- ${shQuote(got.tmp)}\n`);
    if (cp.rc !== 0) fail(cleanup, `failed to copy ${got.tmp} to ${dest}: ${cp.stderr.trim()}`, result);
    ({ backupFile } = await finalizeTemp(ctx.conn, beside, { dest, backup: args.backup as boolean }));
    changed = true;
  } else {
    await cleanup();
  }
  if (wanted && got.algoDigest !== wanted) {
    await ctx.conn.exec(`rm -f -- ${shQuote(dest)}\n`);
    throw new ModuleFail(`The checksum for ${dest} did not match ${wanted}; it was ${got.algoDigest}.`, { ...result, changed });
  }
  const now = (await probe(ctx.conn, { paths: [dest], ...names })).stats[0] as PathStat;
  const plan = planAttrs(dest, now, args, second);
  if (plan.changed) await applyCommands(ctx, plan.commands);
  const md5 = await ctx.conn.exec(`md5sum < ${shQuote(dest)} | cut -d' ' -f1\n${probeScript({ paths: [dest] })}`);
  const finalInfo = pathInfo(parseProbe({ paths: [dest] }, md5.stdout).stats[0] as PathStat);
  const out: ModuleResult = { ...result, changed: changed || plan.changed, md5sum: md5.stdout.split('\n')[0] ?? null, msg: got.info.msg, status_code: got.info.noStatus ? null : got.info.status, ...finalInfo };
  if (backupFile) out.backup_file = backupFile;
  return out;
}

function fail(cleanup: () => Promise<unknown>, msg: string, result: ModuleResult): never {
  void cleanup();
  throw new ModuleFail(msg, result);
}

function failOnBadStatus(info: { status: number; msg: string }, url: string, dest: string): void {
  if (info.status === -1) throw new ModuleFail(info.msg, { url, dest, elapsed: 0 });
  if (info.status !== 200) throw new ModuleFail('Request failed', { status_code: info.status, response: info.msg, url, dest, elapsed: 0 });
}

async function applyCommands(ctx: ModuleContext, commands: string[]): Promise<void> {
  const r = await ctx.conn.exec(commands.join(' &&\n') + '\n');
  if (r.rc !== 0) throw new ModuleFail(r.stderr.trim());
}

export const getUrlModule: ModuleDef = {
  name: 'get_url',
  checkMode: true,
  spec: {
    ...URL_COMMON_SPEC,
    ...FILE_COMMON_SPEC,
    url_username: { type: 'str', aliases: ['username'] },
    url_password: { type: 'str', aliases: ['password'], noLog: true },
    url: { type: 'str', required: true },
    dest: { type: 'path', required: true },
    backup: { type: 'bool', default: false },
    checksum: { type: 'str', default: '' },
    timeout: { type: 'int', default: 10 },
    headers: { type: 'dict' },
    tmp_dest: { type: 'path' },
    unredirected_headers: { type: 'list', elements: 'str', default: [] },
    decompress: { type: 'bool', default: true },
    ciphers: { type: 'list', elements: 'str' },
    use_netrc: { type: 'bool', default: true },
  },
  run: (args, ctx) => maskedResult(urlNoLogValues(args), () => catchFail(() => run(args, ctx))),
};
