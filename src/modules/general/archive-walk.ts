// What community.general.archive puts in an archive, decided on the controller from a `find`
// listing of the target: os.walk's order, the common root, archive names, exclusion patterns.
import { fnmatchRegex } from '../files/find';

/** One listed entry: its path and whether os.walk counts it as a directory. */
export interface WalkEntry { path: string; isDir: boolean }

/** Python's os.path.commonprefix of the parents, as the real module's common_path(). */
export function commonRoot(paths: string[]): string {
  const parents = paths.map((p) => dirname(p) + (dirname(p).endsWith('/') ? '' : '/'));
  let prefix = parents[0] ?? '';
  for (const p of parents) while (!p.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const d = dirname(prefix);
  return d.endsWith('/') ? d : d + '/';
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '';
  const head = p.slice(0, i + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

/**
 * os.walk(top) flattened as the real module adds entries: per directory, its subdirectories
 * then its files (each in directory order), then each subdirectory's walk.
 * `listing` is find's preorder output (directory order), entries below `top`.
 */
export function walkOrder(top: string, listing: WalkEntry[]): string[] {
  const children = new Map<string, WalkEntry[]>();
  for (const e of listing) {
    const parent = e.path.slice(0, e.path.lastIndexOf('/'));
    children.set(parent, [...(children.get(parent) ?? []), e]);
  }
  const out: string[] = [];
  const visit = (dir: string): void => {
    const kids = children.get(dir) ?? [];
    const dirs = kids.filter((k) => k.isDir);
    out.push(...dirs.map((k) => k.path), ...kids.filter((k) => !k.isDir).map((k) => k.path));
    for (const d of dirs) if (children.has(d.path)) visit(d.path);
  };
  visit(top.replace(/\/+$/, ''));
  return out;
}

export const stripPrefix = (prefix: string, s: string): string => (s.startsWith(prefix) ? s.slice(prefix.length) : s);

export const excluded = (name: string, patterns: string[]): boolean => patterns.some((p) => fnmatchRegex(p).test(name));

export const isArchiveName = (p: string): boolean => /\.(tar|tar\.(gz|bz2|xz)|tgz|tbz2|zip)$/i.test(p.slice(p.lastIndexOf('/') + 1));
