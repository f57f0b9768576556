// What the evaluator needs from its surroundings (the Templar), and the variable frames of a render.
import type { Stmt } from './ast';
import type { PluginContext } from './plugin-types';
import type { PluginRegistry } from './plugins';

export interface RenderEnv {
  /** A template variable by name, templated lazily; an Undefined when missing. */
  resolve(name: string): unknown;
  plugins: PluginRegistry;
  pluginContext: PluginContext;
  /** A global function (range, lookup...) by name; undefined when there is none. */
  global(name: string): unknown;
  /** Parses another template for include/import; `from` is the including template's path. */
  loadTemplate(name: string, from: string | undefined): { body: Stmt[]; path: string } | undefined;
  /** Joins rendered pieces the way Ansible's concat does (native types or plain text). */
  concat(pieces: unknown[]): unknown;
}

/** A scope of local names (set, for, macro arguments); lookups fall back to the parent. */
export class Frame {
  readonly vars = new Map<string, unknown>();
  constructor(
    readonly parent: Frame | undefined,
    /** The template file this frame renders, for relative includes and error messages. */
    readonly templatePath?: string,
  ) {}

  lookup(name: string): { found: boolean; value?: unknown } {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      if (f.vars.has(name)) return { found: true, value: f.vars.get(name) };
    }
    return { found: false };
  }

  child(): Frame {
    return new Frame(this, this.templatePath);
  }

  get path(): string | undefined {
    return this.templatePath ?? this.parent?.path;
  }
}
