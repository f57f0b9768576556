// The contract between the engine and the Templar (implemented in templar.ts).
// Variables are passed raw: values that contain templates are rendered on access,
// recursively, exactly as Ansible's lazy variable resolution does.
import type { TemplateFileOptions } from '../modules/types';

/** What lookups need from the run: files on the controller and the inventory. */
export interface LookupContext {
  /** Finds a file for lookups like file/template/first_found: role files/ (or templates/), role dir, playbook dir. */
  findFile(kind: 'files' | 'templates' | 'vars', relPath: string): string | undefined;
  /** Base directory for relative paths (role dir or playbook dir). */
  baseDir: string;
  /** Host names matching an inventory pattern (inventory_hostnames lookup). */
  inventoryHostnames(pattern: string): string[];
  /** The task's search path, most specific first (role dirs, the task file's dir, the playbook dir). */
  searchDirs?: string[];
  /** A configuration setting as the config lookup reads it (plugin options also from `vars`). */
  configSetting?(name: string, vars: (name: string) => unknown, plugin?: { type: string; name: string }): ConfigSettingResult;
  /** Prints a [WARNING]. */
  warn?(message: string): void;
  /** A controller file's text as Ansible's loader reads it: vault-encrypted files decrypted. */
  readText?(absPath: string): string;
}

/** found=false: no such setting; invalid: the name is not a setting at all (a callable of Ansible's constants). */
export type ConfigSettingResult = { found: true; value: unknown } | { found: false; invalid?: boolean; unknownPlugin?: boolean };

export interface TemplarOptions {
  /** Directories for {% include %} / {% import %} / {% extends %} (role templates/, then the template's own dir). */
  searchPath?: string[];
  lookups?: LookupContext;
  /** The string that marks an omitted parameter (the `omit` variable's value). */
  omitToken?: string;
  /** Value of ansible_managed before templating (from ansible.cfg). */
  ansibleManaged?: string;
  /** Extra or replacement filters/tests/lookups on top of the libraries (used by tests and embedders). */
  plugins?: Partial<import('./plugins').PluginRegistry>;
}

export interface TemplateOptions {
  /** Default true: an undefined variable raises UndefinedVariableError. */
  failOnUndefined?: boolean;
  /** Keep the result a string even when it is a lone expression. */
  convertToString?: boolean;
}

export interface TemplarApi {
  /** Renders strings (recursing into lists and dicts) with Ansible 2.14's native-type rules. */
  template(value: unknown, opts?: TemplateOptions): unknown;
  /** True when the string contains Jinja2 syntax ({{, {%, {#). */
  isTemplate(value: unknown): boolean;
  /** Evaluates `when:`-style conditionals as Ansible's Conditional does. */
  evaluateConditional(conditional: unknown): boolean;
  /** Evaluates a bare Jinja2 expression (no delimiters) to its native value. */
  evaluate(expression: string): unknown;
  /** Renders a template file (trim_blocks on, #jinja2: header overrides, template_* vars). */
  renderFile(absPath: string, opts?: TemplateFileOptions): string;
  /** A Templar over the same options with more variables on top (loop item, task vars). */
  withVars(extra: Record<string, unknown>): TemplarApi;
}
