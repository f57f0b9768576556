// The one place that reaches the filter, test and lookup libraries; they are loaded lazily
// so the Templar works (with an empty registry) while those libraries are absent.
import type { FilterFn, LookupFn, TestFn } from './plugin-types';

export interface PluginRegistry {
  filters: Record<string, FilterFn>;
  tests: Record<string, TestFn>;
  lookups: Record<string, LookupFn>;
}

function load<T>(path: string, exportName: string): Record<string, T> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(path) as Record<string, Record<string, T> | undefined>;
    return mod[exportName] ?? {};
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${path}'`)) return {};
    throw e;
  }
}

/** The libraries' registries with `overrides` on top (tests inject their own plugins this way). */
export function loadPlugins(overrides?: Partial<PluginRegistry>): PluginRegistry {
  return {
    filters: { ...load<FilterFn>('./filters', 'filters'), ...overrides?.filters },
    tests: { ...load<TestFn>('./tests', 'tests'), ...overrides?.tests },
    lookups: { ...load<LookupFn>('./lookups', 'lookups'), ...overrides?.lookups },
  };
}

/** `ansible.builtin.to_json` → `to_json`: collections are flattened into one namespace. */
export function shortPluginName(name: string): string {
  const parts = name.split('.');
  return parts.length >= 3 ? (parts[parts.length - 1] as string) : name;
}
