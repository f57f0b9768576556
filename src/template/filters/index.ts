// The registry of filters (`value | name(args)`) the Templar resolves names against;
// fully-qualified names (ansible.builtin.x, ansible.utils.x) are stripped by the Templar.
import type { FilterFn } from '../plugin-types';
import { coreFilters } from './core';
import { datetimeFilters } from './datetime';
import { dictFilters } from './dicts';
import { encryptionFilters } from './encryption';
import { hashingFilters } from './hashing';
import { makeHigherOrderFilters } from './higher-order';
import { listFilters } from './lists';
import { miscFilters } from './misc';
import { networkFilters } from './network';
import { pathFilters } from './paths';
import { regexFilters } from './regex';
import { serializeFilters } from './serialize';
import { stringFilters } from './strings';

const baseFilters = {
  ...coreFilters,
  ...stringFilters,
  ...listFilters,
  ...dictFilters,
  ...regexFilters,
  ...serializeFilters,
  ...hashingFilters,
  ...pathFilters,
  ...networkFilters,
  ...datetimeFilters,
  ...miscFilters,
  ...encryptionFilters,
} satisfies Record<string, FilterFn>;

// map() looks filters up by name at call time, so it sees the complete registry.
export const filters: Record<string, FilterFn> & typeof baseFilters = {
  ...baseFilters,
  ...makeHigherOrderFilters((): Record<string, FilterFn> => filters),
} satisfies Record<string, FilterFn>;
