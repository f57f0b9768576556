// The one place that reaches the filter, test and lookup libraries; they are loaded lazily
// so the Templar works (with an empty registry) while those libraries are absent.
import { TemplateError } from '../errors';
import type { FilterFn, LookupFn, TestFn } from './plugin-types';

export interface PluginRegistry {
  filters: Record<string, FilterFn>;
  tests: Record<string, TestFn>;
  lookups: Record<string, LookupFn>;
}

/** A library's registry, or {} when the library itself is absent (its require names it). */
function load<T>(requireLibrary: () => unknown, path: string, exportName: string): Record<string, T> {
  try {
    // a literal require per library, so that the CLI bundle (scripts/bundle-cli.js) contains it
    const mod = requireLibrary() as Record<string, Record<string, T> | undefined>;
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
    filters: { ...load<FilterFn>(() => require('./filters'), './filters', 'filters'), ...overrides?.filters },
    tests: { ...load<TestFn>(() => require('./tests'), './tests', 'tests'), ...overrides?.tests },
    lookups: { ...load<LookupFn>(() => require('./lookups'), './lookups', 'lookups'), ...overrides?.lookups },
  };
}

/** `ansible.builtin.to_json` → `to_json`: collections are flattened into one namespace. */
export function shortPluginName(name: string): string {
  const parts = name.split('.');
  return parts.length >= 3 ? (parts[parts.length - 1] as string) : name;
}

const PY_KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except finally for ' +
  'from global if import in is lambda nonlocal not or pass raise return try while with yield').split(' '));

/**
 * A filter or test looked up by name while rendering (select/map's name argument) that does not
 * exist: Jinja's TemplateSyntaxError from Ansible's plugin loader, with the loader's KeyError text
 * ('invalid plugin name: ansible.builtin.x y' when the name cannot be a plugin name at all).
 */
export class PluginLoadError extends TemplateError {
  constructor(name: string) {
    const fqcr = name.includes('.') ? name : `ansible.builtin.${name}`;
    const parts = fqcr.split('.');
    const valid = /^\w+(\.\w+){2,}$/.test(fqcr) && parts.slice(0, 2).every((p) => /^[A-Za-z_]\w*$/.test(p) && !PY_KEYWORDS.has(p));
    super(`Could not load "${name}": '${valid ? name : `invalid plugin name: ${fqcr}`}'`);
    this.name = 'PluginLoadError';
  }
}
