// The one module registry: short names, ansible.builtin./ansible.legacy. FQCNs and
// each module's extra FQCNs resolve to the same typed ModuleDef.
import type { ModuleDef } from './types';
import { gatherFactsModule, setupModule } from '../facts';
import { coreModules } from './core';
import { fileModules } from './files';
import { netModules } from './net';
import { systemModules } from './system';
import { cryptoModules } from './crypto';
import { posixModules } from './posix';
import { generalModules } from './general';
import { ansibleOnlyModules } from './not-implemented';

/** Actions the executor carries out itself; they are valid task actions but not modules. */
export const EXECUTOR_ACTIONS = [
  'include_tasks', 'import_tasks', 'include_role', 'import_role', 'include', 'meta', 'import_playbook',
] as const;

const BUILTIN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

/** Supplies modules tsible does not ship (a playbook's library/ modules, Ansible modules it lacks). */
export type ModuleProvider = (name: string) => ModuleDef | undefined;

/**
 * A module known by its names whose definition (and heavy dependencies, such as the ASN.1
 * libraries of the crypto modules) loads when a task first uses it.
 */
export interface LazyModuleEntry {
  name: string;
  fqcns?: readonly string[];
  load(): ModuleDef;
}

export type RegistryEntry = ModuleDef | LazyModuleEntry;

function isLazy(e: RegistryEntry): e is LazyModuleEntry {
  return 'load' in e && !('run' in e);
}

export class ModuleRegistry {
  private readonly byName = new Map<string, RegistryEntry>();
  constructor(
    modules: readonly RegistryEntry[],
    private readonly providers: ModuleProvider[] = [],
  ) {
    for (const m of modules) this.add(m);
  }

  private add(m: RegistryEntry): void {
    this.byName.set(m.name, m);
    for (const fq of m.fqcns ?? []) this.byName.set(fq, m);
  }

  /** The definition behind an entry, loading it (once) when it is lazy. */
  private resolve(e: RegistryEntry | undefined): ModuleDef | undefined {
    if (!e || !isLazy(e)) return e;
    const def = e.load();
    this.add(def);
    return def;
  }

  /** Short name of a module or executor action, or undefined when unknown. */
  resolveName(name: string): string | undefined {
    const short = stripBuiltin(name);
    if ((EXECUTOR_ACTIONS as readonly string[]).includes(short)) return short;
    return this.get(name)?.name;
  }

  get(name: string): ModuleDef | undefined {
    const found = this.resolve(this.byName.get(stripBuiltin(name)) ?? this.byName.get(name));
    if (found) return found;
    for (const provide of this.providers) {
      const m = provide(name);
      if (!m) continue;
      this.byName.set(m.name, m);
      this.byName.set(name, m);
      return m;
    }
    return undefined;
  }

  /** Adds a provider consulted for names the registry does not know (first added wins). */
  addProvider(provider: ModuleProvider): void {
    this.providers.unshift(provider);
  }

  names(): string[] {
    return [...new Set([...this.byName.values()].map((m) => m.name))].sort();
  }
}

function stripBuiltin(name: string): string {
  for (const p of BUILTIN_PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

export function defaultRegistry(): ModuleRegistry {
  return new ModuleRegistry(
    [...coreModules, setupModule, gatherFactsModule, ...fileModules, ...netModules, ...systemModules, ...cryptoModules, ...posixModules, ...generalModules],
    [ansibleOnlyModules()],
  );
}
