// The registry of lookups (lookup()/query()/with_*) the Templar resolves names against.
import type { LookupFn } from '../plugin-types';
import { dataLookups } from './data';
import { fileLookups } from './files';
import { password } from './password';
import { processLookups } from './process';

export const lookups = {
  ...fileLookups,
  ...processLookups,
  ...dataLookups,
  password,
} satisfies Record<string, LookupFn>;
