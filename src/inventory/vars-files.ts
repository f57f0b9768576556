// group_vars/ and host_vars/ files beside an inventory source or a playbook: which
// files belong to a host or group, in which order, and their (cached) contents.
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError } from '../errors';
import { isDict } from '../template/pyvalues';
import { isDirectory, isFile } from '../util/fs';

const VARS_EXTS = ['', '.yml', '.yaml', '.json'];

export interface VarsFile {
  file: string;
  vars: Record<string, unknown>;
}

/** Per-inventory cache of directory lookups and parsed files (no global state). */
export class VarsFileCache {
  private readonly found = new Map<string, string[]>();
  private readonly loaded = new Map<string, Record<string, unknown> | null>();
  constructor(private readonly loadYaml: (file: string) => unknown) {}

  /** Files of `name` under `basedir/subdir`, each with its parsed vars (empty files skipped). */
  varsFor(basedir: string, subdir: 'group_vars' | 'host_vars', name: string): VarsFile[] {
    if (name.startsWith(path.sep)) return [];
    const key = `${name}\0${basedir}\0${subdir}`;
    let files = this.found.get(key);
    if (!files) {
      const dir = realpath(path.join(basedir, subdir));
      files = isDirectory(dir) ? findVarsFiles(dir, name) : [];
      this.found.set(key, files);
    }
    const out: VarsFile[] = [];
    for (const file of files) {
      const vars = this.load(file);
      if (vars) out.push({ file, vars });
    }
    return out;
  }

  private load(file: string): Record<string, unknown> | null {
    if (this.loaded.has(file)) return this.loaded.get(file) ?? null;
    let data: unknown;
    try {
      data = this.loadYaml(file);
    } catch (e) {
      if (e instanceof TsibleError) throw e;
      throw new TsibleError('INVENTORY', (e as Error).message);
    }
    let vars: Record<string, unknown> | null = null;
    if (data !== null && data !== undefined && data !== '' && !(Array.isArray(data) && data.length === 0)) {
      if (!isDict(data)) {
        throw new TsibleError(
          'INVENTORY',
          `failed to combine variables, expected dicts but got a 'dict' and a '${Array.isArray(data) ? 'list' : typeof data}': \n{}\n${JSON.stringify(data)}`,
        );
      }
      vars = Object.keys(data).length ? data : null;
    }
    this.loaded.set(file, vars);
    return vars;
  }
}

/** `name` as a directory (all files in it, sorted, recursively) or the first of name, name.yml, name.yaml, name.json. */
function findVarsFiles(dir: string, name: string): string[] {
  const base = path.join(dir, name);
  for (const ext of VARS_EXTS) {
    const full = base + ext;
    if (!fs.existsSync(full)) continue;
    return isDirectory(full) ? filesInVarsDir(full) : [full];
  }
  return [];
}

function filesInVarsDir(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = path.join(dir, entry);
    const ext = pyExtname(entry);
    if (isDirectory(full) && !ext) found.push(...filesInVarsDir(full));
    else if (isFile(full) && (!ext || VARS_EXTS.includes(ext))) found.push(full);
  }
  return found;
}

/** os.path.splitext's extension: leading dots do not start one. */
function pyExtname(name: string): string {
  const stripped = name.replace(/^\.+/, '');
  const i = stripped.lastIndexOf('.');
  return i <= 0 ? '' : stripped.slice(i);
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
