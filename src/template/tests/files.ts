// Path tests evaluated on the controller's filesystem (file, directory, link, exists, abs...).
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import type { TestFn } from '../plugin-types';
import { pyStr } from '../pyvalues';
import { requireDefined } from '../filters/helpers';

function statOf(p: unknown, follow = true): fs.Stats | undefined {
  try {
    const s = pyStr(requireDefined(p));
    return follow ? fs.statSync(s) : fs.lstatSync(s);
  } catch {
    return undefined;
  }
}

const expand = (p: unknown) => pyStr(requireDefined(p)).replace(/^~(?=$|\/)/, os.homedir());

const isMount: TestFn = (_ctx, value) => {
  const p = pyStr(requireDefined(value));
  const here = statOf(p, false);
  const parent = statOf(path.join(p, '..'), false);
  if (!here || !parent || here.isSymbolicLink()) return false;
  return here.dev !== parent.dev || here.ino === parent.ino;
};

const sameFile: TestFn = (_ctx, v, args) => {
  const a = statOf(v);
  const b = statOf(args[0]);
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
};

export const fileTests = {
  file: (_ctx, v) => statOf(v)?.isFile() ?? false,
  is_file: (_ctx, v) => statOf(v)?.isFile() ?? false,
  directory: (_ctx, v) => statOf(v)?.isDirectory() ?? false,
  is_dir: (_ctx, v) => statOf(v)?.isDirectory() ?? false,
  link: (_ctx, v) => statOf(v, false)?.isSymbolicLink() ?? false,
  is_link: (_ctx, v) => statOf(v, false)?.isSymbolicLink() ?? false,
  exists: (_ctx, v) => statOf(expand(v)) !== undefined,
  link_exists: (_ctx, v) => statOf(v, false) !== undefined,
  abs: (_ctx, v) => pyStr(requireDefined(v)).startsWith('/'),
  is_abs: (_ctx, v) => pyStr(requireDefined(v)).startsWith('/'),
  same_file: sameFile,
  is_same_file: sameFile,
  mount: isMount,
  is_mount: isMount,
} satisfies Record<string, TestFn>;
