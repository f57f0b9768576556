// Controller-side file lookups: file, template, fileglob, first_found.
import * as fs from 'fs';
import * as path from 'path';
import { TemplateError } from '../../errors';
import type { LookupFn, PluginContext } from '../plugin-types';
import { isDict, pyStr, truthy } from '../pyvalues';
import { glob, pyBasename, pyDirname } from '../filters/paths';
import { evalConcat, NativeText } from '../concat';

/** Resolves a lookup path: absolute as is, else through the role/playbook search path. */
export function findFile(ctx: PluginContext, kind: 'files' | 'templates' | 'vars', rel: string): string | undefined {
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
    let content = ctx.lookups?.readText ? ctx.lookups.readText(p) : fs.readFileSync(p, 'utf8');
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
    const text = templar.renderFile(p, {
      source: ctx.lookups?.readText?.(p),
      variableStartString: kwargs.variable_start_string as string | undefined,
      variableEndString: kwargs.variable_end_string as string | undefined,
      commentStartString: kwargs.comment_start_string as string | undefined,
      commentEndString: kwargs.comment_end_string as string | undefined,
    });
    // convert_data (default on): text that reads as a list, dict or bool becomes that value;
    // off: text that is never turned into data (Ansible's NativeJinjaText)
    return truthy(kwargs.convert_data ?? true) ? evalConcat([text]) : new NativeText(text);
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
      const found = dir ? findFile(ctx, 'files', dir) : undefined;
      // no directory in the pattern: each search path's files/, then the search path itself
      const search = ctx.lookups?.searchDirs ?? [ctx.lookups?.baseDir ?? process.cwd()];
      dirs = found ? [found] : dir ? [] : search.flatMap((d) => [path.join(d, 'files'), d]);
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

/**
 * 2.14's first_found: a dict term carries its own files/paths/skip; a string term takes the
 * keyword options instead (keyword files= replace the term); keywords alone search nothing.
 */
const firstFound: LookupFn = (ctx, terms, kwargs) => {
  const search = { candidates: [] as string[], skip: false };
  collectFirstFound(terms, kwargs, search);
  for (const candidate of search.candidates) {
    const found = findFile(ctx, ctx.subdir ?? 'files', candidate);
    if (found) return [path.resolve(found)];
  }
  if (search.skip) return [];
  throw new TemplateError('No file was found when using first_found.');
};

function collectFirstFound(terms: unknown[], kwargs: Record<string, unknown>, out: { candidates: string[]; skip: boolean }): void {
  for (const term of terms) {
    if (Array.isArray(term)) {
      collectFirstFound(term, kwargs, out);
      continue;
    }
    const options = isDict(term) ? term : typeof term === 'string' ? kwargs : undefined;
    if (!options) throw new TemplateError(`Invalid term supplied, can handle string, mapping or list of strings but got: ${typeof term} for ${pyStr(term)}`);
    const files = splitList(options.files, /[,;]/);
    const paths = splitList(options.paths, /[,:;]/);
    out.skip = truthy(options.skip ?? false);
    if (paths.length) {
      for (const p of paths) for (const f of files) out.candidates.push(path.join(p, f));
    } else if (files.length) out.candidates.push(...files);
    else out.candidates.push(pyStr(term));
  }
}

export const fileLookups = {
  file,
  template,
  fileglob,
  first_found: firstFound,
} satisfies Record<string, LookupFn>;
