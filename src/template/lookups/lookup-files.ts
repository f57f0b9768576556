// Helpers for lookups that read controller files: the search path with Ansible's warning when
// a file is missing, and decoding with Python codec names.
import { TextDecoder } from 'util';
import type { PluginContext } from '../plugin-types';
import { LookupError } from '../../errors';
import { findFile } from './files';

/** find_file_in_search_path: the file, or undefined after Ansible's "Unable to find" warning. */
export function findLookupFile(ctx: PluginContext, kind: 'files' | 'templates', rel: string): string | undefined {
  const found = findFile(ctx, kind, rel);
  if (!found) ctx.lookups?.warn?.(`Unable to find '${rel}' in expected paths (use -vvvvv to see paths)`);
  return found;
}

const LATIN1 = new Set(['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', '8859', 'l1', 'cp819', 'iso-ir-100']);

/** Decodes bytes as Python's codecs do for the common encodings (strict: bad bytes are an error). */
export function decodeText(data: Buffer, encoding: string): string {
  const name = encoding.trim().toLowerCase().replace(/_/g, '-');
  if (LATIN1.has(name)) return data.toString('latin1');
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(name === 'utf8' || name === 'u8' ? 'utf-8' : name, { fatal: true });
  } catch {
    throw new LookupError(`unknown encoding: ${encoding}`);
  }
  try {
    return decoder.decode(data);
  } catch {
    throw new LookupError(`'${encoding}' codec can't decode the file's bytes`);
  }
}

/** An error reported as a Python exception of the given class (in "Error was a <class '...'>"). */
export function pyException(cls: string, message: string): Error {
  const e = new Error(message);
  e.name = cls;
  return e;
}
