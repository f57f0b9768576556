// unarchive: the action part (creates, controller src upload, dest check) and the module
// part (remote/URL src checks, handler pick, idempotence check, extract, file attributes).
import * as fs from 'fs';
import * as path from 'path';
import { shQuote } from '../../connection/quote';
import { attrNames, catchFail, ModuleFail, parseProbe, pathInfo, planAttrs, probe, probeScript, runCommands, runSteps } from '../common';
import type { PathStat, Step } from '../common';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { download } from './download';
import { extractStep, pickAndCheck, type UnarchiveOptions } from './unarchive-handlers';

/** Archives up to this size travel on the stdin of the exec that checks them. */
const UPLOAD_INLINE_LIMIT = 1 << 20;
import { FILE_COMMON_SPEC } from './specs';

/** One exec: creates, dest (followed), src facts, and a temp dir for an upload. */
async function probeTarget(ctx: ModuleContext, creates: string | null, dest: string, src: string | null, needTmp: boolean) {
  const lines = [
    creates ? `[ -e ${shQuote(creates)} ] && echo CREATES` : '',
    `[ -d ${shQuote(dest)} ] && echo DESTDIR`,
    src ? `[ -e ${shQuote(src)} ] && echo SRCEXISTS; [ -r ${shQuote(src)} ] && echo SRCREAD; [ -s ${shQuote(src)} ] && echo SRCSIZE` : '',
    needTmp ? `_t=$(mktemp -d "\${TMPDIR:-/tmp}/tsible-tmp-XXXXXXXX") && echo "TMP $_t"` : '',
    // the tar the handlers will name and run
    `printf 'TAR %s\\n' "$(command -v gtar || command -v tar || echo tar)"`,
  ].filter(Boolean);
  const r = await ctx.conn.exec(lines.join('\n') + '\n');
  const has = (k: string) => new RegExp(`^${k}$`, 'm').test(r.stdout);
  return {
    creates: has('CREATES'),
    destIsDir: has('DESTDIR'),
    srcExists: has('SRCEXISTS'),
    srcReadable: has('SRCREAD'),
    srcNonEmpty: has('SRCSIZE'),
    tmp: /^TMP (.*)$/m.exec(r.stdout)?.[1],
    tar: /^TAR (.+)$/m.exec(r.stdout)?.[1] ?? 'tar',
  };
}

async function run(args: Record<string, unknown>, ctx: ModuleContext, cleanup: string[]): Promise<ModuleResult> {
  let src = args.src as string | null;
  const dest = args.dest as string | null;
  let remoteSrc = (args.remote_src as boolean | null) ?? false;
  if (args.copy !== null) {
    if (args.remote_src !== null) throw new ModuleFail("parameters are mutually exclusive: ('copy', 'remote_src')");
    remoteSrc = !(args.copy as boolean);
  }
  if (src === null || dest === null) throw new ModuleFail('src (or content) and dest are required');
  if (((args.include as string[]) ?? []).length && ((args.exclude as string[]) ?? []).length) {
    throw new ModuleFail('parameters are mutually exclusive: include|exclude');
  }
  const creates = args.creates as string | null;
  let localSrc: string | undefined;
  if (!remoteSrc) {
    localSrc = ctx.controller.findFile('files', src);
    if (!localSrc || !fs.existsSync(localSrc) || fs.statSync(localSrc).isDirectory()) {
      if (creates) {
        const early = await probeTarget(ctx, creates, dest, null, false);
        if (early.creates) return { changed: false, skipped: true, msg: `skipped, since ${creates} exists` };
      }
      throw new ModuleFail(`Could not find or access '${src}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`);
    }
  }
  const facts = await probeTarget(ctx, creates, dest, remoteSrc ? src : null, !remoteSrc || src.includes('://'));
  if (facts.tmp) cleanup.push(facts.tmp);
  if (creates && facts.creates) return { changed: false, skipped: true, msg: `skipped, since ${creates} exists` };
  if (!facts.destIsDir) throw new ModuleFail(`dest '${dest}' must be an existing dir`);

  let upload: Buffer | undefined;
  if (localSrc) {
    src = path.posix.join(facts.tmp as string, 'source');
    // a small archive rides on the stdin of the exec that checks it; a large one goes by put
    upload = fs.readFileSync(localSrc);
    if (upload.length > UPLOAD_INLINE_LIMIT) {
      await ctx.conn.put(upload, src);
      upload = undefined;
    }
  } else if (!facts.srcExists) {
    if (!src.includes('://')) throw new ModuleFail(`Source '${src}' does not exist`);
    src = await fetchOnTarget(ctx, args, src, facts.tmp as string);
  } else {
    if (!facts.srcReadable) throw new ModuleFail(`Source '${src}' not readable`);
    if (!facts.srcNonEmpty) throw new ModuleFail(`Invalid archive '${src}', the file is 0 bytes`);
  }

  const opts: UnarchiveOptions = {
    src,
    dest,
    extraOpts: (args.extra_opts as string[] | null) ?? [],
    include: (args.include as string[] | null) ?? [],
    exclude: (args.exclude as string[] | null) ?? [],
    keepNewer: args.keep_newer as boolean,
    owner: args.owner as string | null,
    group: args.group as string | null,
    mode: args.mode,
    check: ctx.check,
  };
  const picked = await pickAndCheck(ctx, opts, facts.tar, upload);
  if (picked.kind === 'skip') return { changed: false, failed: false, skipped: true, msg: picked.msg };
  const check = picked.check;
  const result: ModuleResult = { handler: check.handler, dest, src, changed: false };
  if (ctx.check) result.changed = !check.unarchived;
  if (check.diff) result.diff = { prepared: check.diff };
  if (args.list_files) result.files = check.files;
  // extraction, the temp dir's removal and dest's stat in one exec (attributes need the
  // extracted files' stats first, so they come after)
  const steps: Step[] = [];
  if (!ctx.check && !check.unarchived) steps.push({ script: extractStep(opts, check) });
  const fixes = !ctx.check && hasAttrs(args);
  if (!fixes) {
    steps.push({ script: cleanup.map((d) => `rm -rf -- ${shQuote(d)}`).join('\n') || 'true', stopOnFailure: false });
    steps.push({ script: probeScript({ paths: [dest] }) });
  }
  const ran = await runSteps(ctx.conn, steps);
  let at = 0;
  if (!ctx.check && !check.unarchived) {
    const x = ran[at++] ?? { rc: 1, stdout: '', stderr: '' };
    result.extract_results = { cmd: check.extractArgv, rc: x.rc, out: x.stdout, err: x.stderr };
    if (x.rc !== 0) throw new ModuleFail(`failed to unpack ${src} to ${dest}`, { ...result });
    result.changed = true;
  }
  let destStat: PathStat | undefined;
  if (fixes) {
    result.changed = (await fixAttributes(ctx, args, dest, check.files)) || result.changed;
    destStat = (await probe(ctx.conn, { paths: [dest] })).stats[0];
  } else {
    cleanup.length = 0;
    destStat = parseProbe({ paths: [dest] }, ran[at + 1]?.stdout ?? '').stats[0];
  }
  return { ...result, ...pathInfo(destStat as PathStat) };
}

function hasAttrs(args: Record<string, unknown>): boolean {
  return (args.mode !== null && args.mode !== undefined) || !!args.owner || !!args.group;
}

/** remote_src URL: downloaded into the temp dir on the target (fetch_file). */
async function fetchOnTarget(ctx: ModuleContext, args: Record<string, unknown>, url: string, tmpDir: string): Promise<string> {
  const got = await download(
    ctx,
    {
      url,
      method: 'GET',
      headers: {},
      timeout: 10,
      validateCerts: args.validate_certs as boolean,
      follow: 'safe',
      userAgent: 'ansible-httpget',
      bodyFile: '$_bf',
    },
    tmpDir,
    null,
  );
  if (got.info.status !== 200) throw new ModuleFail(`Failure downloading ${url}, ${got.info.msg}`);
  return got.tmp;
}

/** Ansible's set_fs_attributes_if_different on every member and on the top folders. */
async function fixAttributes(ctx: ModuleContext, args: Record<string, unknown>, dest: string, files: string[]): Promise<boolean> {
  const attrs = { mode: args.mode, owner: args.owner as string | null, group: args.group as string | null };
  if ((attrs.mode === null || attrs.mode === undefined) && !attrs.owner && !attrs.group) return false;
  const tops = [...new Set(files.filter((f) => f.includes('/')).map((f) => f.split('/')[0] as string))];
  const paths = [...files.map((f) => path.posix.join(dest, f)), ...tops.map((t) => `${dest}/${t}`)];
  const probed = await probe(ctx.conn, { paths, ...attrNames(attrs) });
  const commands: string[] = [];
  let changed = false;
  const seen = new Set<string>();
  probed.stats.forEach((st, i) => {
    const p = paths[i] as string;
    if (!st.exists || seen.has(p.replace(/\/+$/, ''))) return;
    seen.add(p.replace(/\/+$/, ''));
    const plan = planAttrs(p, st, attrs, probed, { noDereference: true });
    changed ||= plan.changed;
    commands.push(...plan.commands);
  });
  await runCommands(ctx.conn, commands, 'Unexpected error when accessing exploded file: ');
  return changed;
}

export const unarchiveModule: ModuleDef = {
  name: 'unarchive',
  checkMode: true,
  spec: {
    ...FILE_COMMON_SPEC,
    // src/dest are checked by the action part first (with its message), as in Ansible
    src: { type: 'path' },
    dest: { type: 'path' },
    // no defaults for copy/remote_src: the action part must know whether they were given
    remote_src: { type: 'bool' },
    copy: { type: 'bool' },
    creates: { type: 'path' },
    list_files: { type: 'bool', default: false },
    keep_newer: { type: 'bool', default: false },
    exclude: { type: 'list', elements: 'str', default: [] },
    include: { type: 'list', elements: 'str', default: [] },
    extra_opts: { type: 'list', elements: 'str', default: [] },
    validate_certs: { type: 'bool', default: true },
    io_buffer_size: { type: 'int', default: 65536 },
    decrypt: { type: 'bool', default: true },
  },
  run: async (args, ctx) => {
    const cleanup: string[] = [];
    try {
      return await catchFail(() => run(args, ctx, cleanup));
    } finally {
      if (cleanup.length) await ctx.conn.exec(cleanup.map((d) => `rm -rf -- ${shQuote(d)}`).join('\n') + '\n');
    }
  },
};
