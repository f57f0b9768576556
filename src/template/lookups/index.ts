// The registry of lookups (lookup()/query()/with_*) the Templar resolves names against.
import type { LookupFn } from '../plugin-types';
import { dataLookups } from './data';
import { fileLookups } from './files';
import { password } from './password';
import { ini } from './ini';
import { csvfile } from './csvfile';
import { config } from './config';
import { processLookups } from './process';

export const lookups = {
  ...fileLookups,
  ...processLookups,
  ...dataLookups,
  password,
  ini,
  csvfile,
  config,
} satisfies Record<string, LookupFn>;
