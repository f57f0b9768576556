// Controller-side file lookups: file, template, fileglob, first_found.
import * as fs from 'fs';
import * as path from 'path';
import { TemplateError } from '../../errors';
import type { LookupFn, PluginContext } from '../plugin-types';
import { isDict, pyStr, truthy } from '../pyvalues';
import { glob, pyBasename, pyDirname } from '../filters/paths';

/** Resolves a lookup path: absolute as is, else through the role/playbook search path. */
export function findFile(ctx: PluginContext, kind: 'files' | 'templates', rel: string): string | undefined {
  if (path.isAbsolute(rel)) return fs.existsSync(rel) ? rel : undefined;
  const found = ctx.lookups?.findFile(kind, rel);
  if (found) return found;
  const base = ctx.lookups?.baseDir ?? process.cwd();
  for (const candidate of [path.join(base, kind, rel), path.join(base, rel)]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

const file: LookupFn = (ctx, terms, kwargs) => {
  const lstrip = truthy(kwargs.lstrip ?? false);
  const rstrip = truthy(kwargs.rstrip ?? true);
  return terms.map((term) => {
    const rel = pyStr(term);
    const p = findFile(ctx, 'files', rel);
    if (!p || !fs.statSync(p).isFile()) throw new TemplateError(`could not locate file in lookup: ${rel}`);
    let content = fs.readFileSync(p, 'utf8');
    if (lstrip) content = content.replace(/^\s+/, '');
    if (rstrip) content = content.replace(/\s+$/, '');
    return content;
  });
};

const template: LookupFn = (ctx, terms, kwargs) => {
  const extra = isDict(kwargs.template_vars) ? kwargs.template_vars : {};
  const templar = Object.keys(extra).length ? ctx.templar.withVars(extra) : ctx.templar;
  return terms.map((term) => {
    const rel = pyStr(term);
    const p = findFile(ctx, 'templates', rel);
    if (!p) throw new TemplateError(`the template file ${rel} could not be found for the lookup`);
    return templar.renderFile(p, {
      variableStartString: kwargs.variable_start_string as string | undefined,
      variableEndString: kwargs.variable_end_string as string | undefined,
      commentStartString: kwargs.comment_start_string as string | undefined,
      commentEndString: kwargs.comment_end_string as string | undefined,
    });
  });
};

const fileglob: LookupFn = (ctx, terms) => {
  const out: string[] = [];
  for (const term of terms) {
    const pattern = pyStr(term);
    let dirs: string[];
    if (path.isAbsolute(pattern)) dirs = [''];
    else {
      const dir = pyDirname(pattern);
      const base = ctx.lookups?.baseDir ?? process.cwd();
      const found = dir ? findFile(ctx, 'files', dir) : undefined;
      dirs = found ? [found] : dir ? [] : [path.join(base, 'files'), base];
    }
    for (const d of dirs) {
      const full = d === '' ? pattern : path.join(d, pattern.includes('/') ? pyBasename(pattern) : pattern);
      const matches = glob(full).filter((f) => fs.statSync(f).isFile());
      if (matches.length) {
        out.push(...matches);
        break;
      }
    }
  }
  return out;
};

function splitList(v: unknown, separators: RegExp): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => splitList(x, separators));
  if (v === null || v === undefined) return [];
  return pyStr(v)
    .split(separators)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const firstFound: LookupFn = (ctx, terms, kwargs) => {
  let skip = truthy(kwargs.skip ?? false);
  const candidates: string[] = [];
  const addGroup = (files: string[], paths: string[]) => {
    for (const f of files) {
      if (paths.length === 0) candidates.push(f);
      else for (const p of paths) candidates.push(path.join(p, f));
    }
  };
  const globalFiles = splitList(kwargs.files, /,/);
  const globalPaths = splitList(kwargs.paths, /[,:;]/);
  const loose: string[] = [];
  for (const term of terms.flat()) {
    if (isDict(term)) {
      if ('skip' in term) skip = truthy(term.skip);
      addGroup(splitList(term.files, /,/), splitList(term.paths, /[,:;]/));
    } else loose.push(...splitList(term, /,/));
  }
  if (loose.length) addGroup(loose, globalPaths);
  if (globalFiles.length) addGroup(globalFiles, globalPaths);
  for (const candidate of candidates) {
    const found = findFile(ctx, 'files', candidate);
    if (found) return [path.resolve(found)];
  }
  if (skip) return [];
  throw new TemplateError('No file was found when using first_found.');
};

export const fileLookups = {
  file,
  template,
  fileglob,
  first_found: firstFound,
} satisfies Record<string, LookupFn>;
