// ansible.builtin.copy: content, a controller file or directory (trailing-slash semantics),
// or remote_src; each file goes through copyOneFile, directories through the file module.
import * as fs from 'fs';
import * as path from 'path';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types';
import { addPathInfo, attrNames, catchFail, ModuleFail } from '../common';
import { isVaultText } from '../../vault/envelope';
import { FILE_COMMON_SPEC } from './spec-common';
import { isDict, pyJsonDumps, pyStr } from '../../template/pyvalues';
import { copyOneFile, probeCopies } from './copy-core';
import { runFileModule } from './file';
import { atomicCopyRemote } from './copy-remote';

export const copySpec = {
  ...FILE_COMMON_SPEC,
  _original_basename: { type: 'str' },
  backup: { type: 'bool', default: false },
  checksum: { type: 'str' },
  // raw: the action writes a dict or list as JSON (json.dumps), anything else as its text
  content: { type: 'raw', noLog: true },
  decrypt: { type: 'bool', default: true },
  // required, but checked by the action first ("dest is required"), as Ansible's copy action does
  dest: { type: 'path' },
  directory_mode: { type: 'raw' },
  follow: { type: 'bool', default: false },
  force: { type: 'bool', default: true },
  // the action defaults it to true; with remote_src the module sees it only when given (None: keep links)
  local_follow: { type: 'bool' },
  remote_src: { type: 'bool', default: false },
  src: { type: 'path' },
  validate: { type: 'str' },
} as const;

interface SourceTree {
  files: { full: string; rel: string }[];
  directories: { full: string; rel: string }[];
  symlinks: { target: string; rel: string }[];
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null; // ENOENT, ELOOP: not followable
  }
}

/** Real paths of dir and its ancestors, nearest first, up to (not including) one already known. */
function newParents(dir: string, known: Set<string>): Set<string> {
  const found = new Set<string>();
  for (let d = dir; ; d = path.dirname(d)) {
    const real = statOrNull(d) ? fs.realpathSync(d) : d;
    if (known.has(real)) break;
    found.add(real);
    if (d === path.dirname(d)) break;
  }
  return found;
}

/**
 * Ansible's _walk_dirs: what a directory source expands to (rel paths under dest). Following
 * links, a linked directory is copied as a directory unless it is one of the directories being
 * copied around it (then it stays a link, which breaks the circle).
 */
export function walkSource(src: string, localFollow: boolean): SourceTree {
  const tree: SourceTree = { files: [], directories: [], symlinks: [] };
  const trailing = src.endsWith('/');
  const base = trailing ? src.replace(/\/+$/, '') : src;
  const prefix = trailing ? '' : path.basename(base);
  const walk = (dir: string, rel: string, parents: Set<string>) => {
    // as os.walk: a directory's files first, then its subdirectories
    const later: (() => void)[] = [];
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const lst = fs.lstatSync(full);
      if (lst.isSymbolicLink() && !localFollow) {
        tree.symlinks.push({ target: fs.readlinkSync(full), rel: r });
        continue;
      }
      const st = lst.isSymbolicLink() ? statOrNull(full) : lst;
      if (!st || (!st.isDirectory() && !st.isFile())) {
        // a link that cannot be followed (dangling, a loop) is copied as the link itself
        if (lst.isSymbolicLink()) tree.symlinks.push({ target: fs.readlinkSync(full), rel: r });
        continue;
      }
      if (!st.isDirectory()) tree.files.push({ full, rel: r });
      else if (!lst.isSymbolicLink()) {
        tree.directories.push({ full, rel: r });
        later.push(() => walk(full, r, parents));
      } else {
        const real = fs.realpathSync(full);
        const around = parents.has(real) ? parents : new Set([...parents, ...newParents(dir, parents)]);
        if (around.has(real)) tree.symlinks.push({ target: fs.readlinkSync(full), rel: r });
        else {
          tree.directories.push({ full: real, rel: r });
          later.push(() => walk(real, r, around));
        }
      }
    }
    for (const next of later) next();
  };
  if (prefix) tree.directories.push({ full: base, rel: prefix });
  walk(base, prefix, new Set([fs.realpathSync(base)]));
  return tree;
}

/** A controller file's bytes; vault-encrypted ones decrypted unless `decrypt: false` (get_real_file). */
function readSource(ctx: ModuleContext, file: string, args: Record<string, unknown>): Buffer {
  const bytes = fs.readFileSync(file);
  if (args.decrypt === false || !isVaultText(bytes)) return bytes;
  // get_real_file's message when the run has no vault secret at all
  if (!ctx.controller.vault?.secrets.length) throw new ModuleFail(`A vault password or secret must be specified to decrypt ${file}`);
  try {
    return ctx.controller.vault.decrypt(bytes.toString('latin1'), file);
  } catch (e) {
    throw new ModuleFail((e as Error).message);
  }
}

function checkArgs(args: Record<string, unknown>): string | null {
  const src = args.src as string | null;
  const content = args.content as string | null;
  const dest = args.dest as string;
  if (!src && content === null) return 'src (or content) is required';
  if (!dest) return 'dest is required';
  if (src && content !== null) return 'src and content are mutually exclusive';
  if (content !== null && dest.endsWith('/')) return 'can not use content with a dir as dest';
  return null;
}

async function runCopy(args: Record<string, unknown>, ctx: ModuleContext): Promise<ModuleResult> {
  if (args.content !== null && args.content !== undefined && typeof args.content !== 'string') {
    args.content = Array.isArray(args.content) || isDict(args.content) ? pyJsonDumps(args.content) : pyStr(args.content);
  }
  const bad = checkArgs(args);
  if (bad) return { failed: true, msg: bad };
  let dest = args.dest as string;
  const content = args.content as string | null;
  if (content !== null) {
    const r = await copyOneFile(ctx, {
      content: Buffer.from(content), sourceRel: path.basename(dest), dest, fromContent: true, args, sourceLabel: 'dynamically generated',
    });
    return finish(r, dest);
  }
  if (args.remote_src) return atomicCopyRemote(ctx, args);
  const srcArg = args.src as string;
  const found = ctx.controller.findFile('files', srcArg.replace(/\/+$/, '') || '/');
  if (!found) {
    return {
      failed: true,
      msg: `Could not find or access '${srcArg}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`,
    };
  }
  const source = srcArg.endsWith('/') ? found.replace(/\/*$/, '/') : found;
  if (!fs.statSync(source).isDirectory()) {
    const bytes = readSource(ctx, source, args);
    const r = await copyOneFile(ctx, {
      content: bytes, sourceRel: path.basename(source), dest, fromContent: false, args, sourceLabel: source,
      sourceMode: fs.statSync(source).mode,
    });
    return finish(r, dest);
  }
  const tree = walkSource(source, args.local_follow !== false);
  if (!dest.endsWith('/')) dest += '/';
  const files = tree.files.map((f) => ({
    content: readSource(ctx, f.full, args), sourceRel: f.rel, dest, fromContent: false, args: { ...args, follow: false },
    sourceLabel: f.full, sourceMode: fs.statSync(f.full).mode,
  }));
  const dirPath = (rel: string) => path.posix.join(dest, rel);
  // one exec probes every file and directory of the tree (links need the file module's src facts)
  const known = await probeCopies(ctx, files, attrNames(args), tree.directories.map((x) => dirPath(x.rel)));
  let changed = false;
  for (const [i, f] of files.entries()) {
    const r = await copyOneFile(ctx, f, known.files[i]);
    if (r && r.failed) return r;
    changed ||= !!r?.changed;
  }
  // what was probed still holds for the directories only while nothing was written
  const pre = () => (changed ? [] : known.extra);
  for (const d of tree.directories) {
    const r = await runFileModule(ctx, { ...args, path: dirPath(d.rel), state: 'directory', mode: args.directory_mode, recurse: false, src: null }, pre());
    changed ||= !!r.changed;
  }
  for (const l of tree.symlinks) {
    const mode = args.mode === 'preserve' ? null : args.mode;
    const r = await runFileModule(ctx, { ...args, mode, path: dirPath(l.rel), src: l.target, state: 'link', force: true, follow: false });
    changed ||= !!r.changed;
  }
  return { dest, src: source, changed };
}

function finish(r: ModuleResult | null, dest: string): ModuleResult {
  if (r === null) return { dest, src: null, changed: false };
  if (r.path !== undefined && r.dest === undefined) r.dest = r.path;
  if (Array.isArray(r.diff) && r.diff.length === 0 && !r.changed) delete r.diff;
  return r;
}

export const copyModule: ModuleDef = {
  name: 'copy',
  spec: copySpec,
  checkMode: true,
  run: (args, ctx) => catchFail(() => runCopy(args, ctx), (r) => addPathInfo(ctx.conn, r)),
};

