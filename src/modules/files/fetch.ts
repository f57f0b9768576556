// ansible.builtin.fetch: copy a target file to the controller under dest/<host>/<path>
// (or dest itself with flat), skipping the transfer when the sha1 already matches.
import * as fs from 'fs';
import * as path from 'path';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { catchFail, ModuleFail, probe } from '../common';
import { md5, sha1 } from './copy-core';

export const fetchSpec = {
  dest: { type: 'str', required: true },
  fail_on_missing: { type: 'bool', default: true },
  flat: { type: 'bool', default: false },
  src: { type: 'str', required: true },
  validate_checksum: { type: 'bool', default: true },
} as const;

function localDest(ctx: ModuleContext, src: string, destArg: string, flat: boolean): string {
  const base = typeof ctx.vars.playbook_dir === 'string' ? ctx.vars.playbook_dir : process.cwd();
  const dest = path.isAbsolute(destArg) ? destArg : path.join(base, destArg);
  if (flat) return destArg.endsWith('/') ? path.join(dest, path.posix.basename(src)) : dest;
  const host = ctx.inventoryHostname;
  return path.join(dest, host, path.posix.normalize(src).replace(/^\/+/, ''));
}

async function runFetch(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  // Ansible's fetch action skips the whole task in check mode, with its own message.
  if (ctx.check) return { changed: false, skipped: true, msg: 'check mode not (yet) supported for this module' };
  const src = args.src as string;
  const dest = localDest(ctx, src, args.dest as string, args.flat as boolean);
  const st = (await probe(ctx.conn, { paths: [src], checksum: true, follow: true })).stats[0];
  if (!st?.exists || st.type === 'directory' || !st.readable) {
    const msg = !st?.exists
      ? 'the remote file does not exist, not transferring, ignored'
      : st.type === 'directory'
        ? 'remote file is a directory, fetch cannot work on directories'
        : 'file is not readable, not transferring, ignored';
    if (args.fail_on_missing) throw new ModuleFail(msg);
    return { changed: false, file: src, msg };
  }
  const remoteSum = st.checksum ?? null;
  const localBytes = fs.existsSync(dest) && fs.statSync(dest).isFile() ? fs.readFileSync(dest) : null;
  if (localBytes && sha1(localBytes) === remoteSum) {
    return { changed: false, md5sum: md5(localBytes), file: src, dest, checksum: remoteSum };
  }
  const data = await ctx.conn.fetch(src);
  const newSum = sha1(data);
  if (args.validate_checksum && newSum !== remoteSum) {
    throw new ModuleFail('checksum mismatch', { file: src, dest, checksum: newSum, remote_checksum: remoteSum });
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, data);
  return { changed: true, md5sum: md5(data), dest, remote_md5sum: null, checksum: newSum, remote_checksum: remoteSum };
}

export const fetchModule: ModuleDef = {
  name: 'fetch',
  spec: fetchSpec,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runFetch(args, ctx)),
};
