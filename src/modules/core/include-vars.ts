// include_vars: loads variables from YAML/JSON files or a directory on the controller.
import * as fs from 'fs';
import * as path from 'path';
import { TsibleError } from '../../errors';
import { loadYamlFile } from '../../parsing/yaml';
import { mergeHash } from '../../template/filters/dicts';
import { isDict } from '../../template/pyvalues';
import type { ModuleDef, ModuleResult } from '../types';

function listDir(dir: string, depth: number, current = 1): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, entry);
    if (fs.statSync(p).isDirectory()) {
      if (depth === 0 || current < depth) out.push(...listDir(p, depth, current + 1));
    } else out.push(p);
  }
  return out;
}

/** Where Ansible looks for a dir that is not found: the role's vars/, else beside the task file. */
function missingDir(dir: string, roleDir: string | undefined, dirs: string[] = []): string {
  if (path.isAbsolute(dir)) return dir;
  if (roleDir) return dir.split('/')[0] === 'vars' ? path.join(roleDir, dir) : path.join(roleDir, 'vars', dir);
  return path.join(dirs[0] ?? process.cwd(), dir);
}

export const includeVarsModule: ModuleDef = {
  name: 'include_vars',
  spec: {
    _raw_params: { type: 'str' },
    file: { type: 'path' },
    dir: { type: 'path' },
    name: { type: 'str' },
    depth: { type: 'int', default: 0 },
    files_matching: { type: 'str' },
    ignore_files: { type: 'list', elements: 'str' },
    extensions: { type: 'list', elements: 'str', default: ['yaml', 'yml', 'json'] },
    ignore_unknown_extensions: { type: 'bool', default: false },
    hash_behaviour: { type: 'str', choices: ['replace', 'merge'] },
  },
  freeForm: true,
  controllerOnly: true,
  checkMode: true,
  async run(args, ctx) {
    const files: string[] = [];
    const exts = args.extensions as string[];
    // Ansible's include_vars reports a failure in `message` (not msg), with empty facts
    const fail = (message: string): ModuleResult => ({ failed: true, changed: false, message, ansible_facts: {}, ansible_included_var_files: [...files] });
    if (args.dir) {
      const dir = ctx.controller.findFile('vars', args.dir as string) ?? missingDir(args.dir as string, ctx.controller.roleDir, ctx.controller.searchDirs);
      if (!fs.existsSync(dir)) return fail(`${dir} directory does not exist`);
      if (!fs.statSync(dir).isDirectory()) return fail(`${dir} is not a directory`);
      const matching = args.files_matching ? new RegExp(args.files_matching as string) : null;
      const ignore = (args.ignore_files as string[] | null) ?? [];
      for (const f of listDir(dir, args.depth as number)) {
        const base = path.basename(f);
        const ext = path.extname(f).slice(1);
        if (ignore.some((i) => new RegExp(`^${i.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(base))) continue;
        if (matching && !matching.test(base)) continue;
        if (!exts.includes(ext)) {
          if (args.ignore_unknown_extensions) continue;
          // files read so far are listed (Ansible loads each before it reaches the bad one)
          return fail(`${f} does not have a valid extension: ${exts.join(', ')}`);
        }
        files.push(f);
      }
    } else {
      const name = (args.file ?? (args._raw_params as string | null)?.replace(/\n+$/, '')) as string | null;
      // no name at all (an empty first_found): _find_needle's message for a None needle
      if (!name) return fail('Could not find file on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option');
      const f = ctx.controller.findFile('vars', name);
      if (!f) {
        const searched = (ctx.controller.searchDirs ?? []).flatMap((d) => [path.join(d, 'vars', name), path.join(d, name)]);
        return fail(
          `Could not find or access '${name}'\nSearched in:\n${searched.map((p) => `\t${p}`).join('\n')} on the Ansible Controller.\n` +
            'If you are using a module and expect the file to exist on the remote, see the remote_src option',
        );
      }
      files.push(f);
    }
    const loaded: Record<string, unknown> = {};
    for (const f of files) {
      let data: unknown;
      try {
        data = loadYamlFile(f, { vault: ctx.controller.vault });
      } catch (e) {
        // a vault that cannot be decrypted fails the task with the loader's message
        if (e instanceof TsibleError && e.code === 'VAULT') return fail(e.message);
        throw e;
      }
      if (data === null) continue;
      if (!isDict(data)) return fail(`${f} must be stored as a dictionary/hash`);
      Object.assign(loaded, data);
    }
    const facts: Record<string, unknown> = args.name ? { [args.name as string]: loaded } : loaded;
    if (args.hash_behaviour === 'merge') {
      // combine_vars with the values the task sees: dicts merge recursively, the rest is replaced
      for (const [k, v] of Object.entries(facts)) {
        const old = ctx.vars[k];
        if (isDict(old) && isDict(v)) facts[k] = mergeHash(old, v, true, 'replace');
      }
    }
    const r: ModuleResult = { changed: false, ansible_facts: facts, ansible_included_var_files: files };
    return r;
  },
};
