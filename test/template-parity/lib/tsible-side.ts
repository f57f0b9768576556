// The tsible side of the parity suite: builds the variables the engine would give the
// localhost play, renders one case with the Templar and encodes results like the recorder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { TemplateError } from '../../../src/errors';
import { LAZY, LazyMapping, PyFloat, Undefined, floatRepr, isLazyMapping } from '../../../src/template/pyvalues';
import type { TemplateFileOptions } from '../../../src/modules/types';
import { typeName } from '../../../src/template/pyops';
import type { LookupContext, TemplarApi, TemplarOptions } from '../../../src/template/types';

export const SUITE_DIR = path.resolve(__dirname, '..');
/** A fixed omit token: cases only compare against `omit`, never print it. */
export const OMIT_TOKEN = '__omit_place_holder__6a2f1ef2cd5d45fa9b1e6c3b8e0a4f7d2c9b1a00';

export interface ParityCase {
  id: string;
  source: string;
  expr?: string;
  string?: string;
  template?: string;
  file?: string;
  /** A `when:` condition (string or list): compared as the bool Ansible's Conditional gives. */
  when?: unknown;
  /** template module options (trim_blocks, newline_sequence, variable_start_string, ...). */
  options?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  expect_error?: boolean;
  collection?: boolean;
  live?: boolean;
}

/** One recorded (or live) outcome, as lib/recorder.js writes it. */
export interface Outcome {
  digest?: string;
  failed: boolean;
  error?: string;
  value?: unknown;
  type?: string;
  repr?: string;
  text?: string;
}

export interface InventoryFacts {
  groups: Record<string, string[]>;
  hostvars: Record<string, Record<string, unknown>>;
}

/** Turns the recorder's type-tagged JSON back into tsible values. */
export function decodeTagged(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeTagged);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.__float__ === 'string') {
      const n = Number(o.__float__);
      return Number.isInteger(n) ? new PyFloat(n) : n;
    }
    if (Array.isArray(o.__dict__)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of o.__dict__ as [string, unknown][]) out[String(k)] = decodeTagged(x);
      return out;
    }
  }
  return v;
}

/** The same type-tagged JSON the recorder's callback writes, from a tsible value. */
export function encodeTagged(v: unknown): unknown {
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'string') return v ?? null;
  if (typeof v === 'number') return Number.isInteger(v) ? v : { __float__: floatRepr(v) };
  if (v instanceof PyFloat) return { __float__: floatRepr(v.value) };
  if (Array.isArray(v)) return v.map(encodeTagged);
  if (isLazyMapping(v)) return { __dict__: v.keys().map((k) => [k, encodeTagged(v.get(k))]) };
  if (v instanceof Undefined) return { __other__: 'Undefined', repr: '' };
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return { __dict__: Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, encodeTagged(x)]) };
  }
  return { __other__: typeof v, repr: String(v) };
}

/** Types compared as themselves; any other value is a mapping in the recorder's tagging. */
const SCALAR_AND_LIST_TYPES = new Set(['NoneType', 'bool', 'int', 'float', 'str', 'list', 'AnsibleUndefined']);

/** Python's type name of a tsible value (what type_debug prints), with every other kind as 'dict'. */
export function pyTypeName(v: unknown): string {
  const name = typeName(v);
  return SCALAR_AND_LIST_TYPES.has(name) ? name : 'dict';
}

/** Ansible's str/dict/list subclasses (unsafe, native, YAML-loaded) are one type in tsible. */
export function normaliseAnsibleType(name: string | undefined): string | undefined {
  const aliases: Record<string, string> = {
    AnsibleUnsafeText: 'str', AnsibleUnicode: 'str', NativeJinjaText: 'str', AnsibleUnsafeBytes: 'str',
    AnsibleMapping: 'dict', AnsibleSequence: 'list',
  };
  return name !== undefined ? aliases[name] ?? name : undefined;
}

/** host:pattern evaluation over the recorded groups: names, groups, `:`, `:!`, `:&`. */
export function matchPattern(facts: InventoryFacts, pattern: string): string[] {
  const all = facts.groups.all ?? [];
  const expand = (p: string): string[] =>
    p === 'all' || p === '*' ? all : facts.groups[p] ?? (all.includes(p) || p === 'localhost' ? [p] : []);
  let result: string[] = [];
  for (const part of pattern.split(/[:,]/).filter(Boolean)) {
    if (part.startsWith('!')) result = result.filter((h) => !expand(part.slice(1)).includes(h));
    else if (part.startsWith('&')) result = result.filter((h) => expand(part.slice(1)).includes(h));
    else for (const h of expand(part)) if (!result.includes(h)) result.push(h);
  }
  return result;
}

function groupNamesOf(facts: InventoryFacts, host: string): string[] {
  return Object.keys(facts.groups).filter((g) => g !== 'all' && facts.groups[g]?.includes(host)).sort();
}

function hostMagic(facts: InventoryFacts, host: string): Record<string, unknown> {
  return { inventory_hostname: host, inventory_hostname_short: host.split('.')[0], group_names: groupNamesOf(facts, host) };
}

/** hostvars: each host's inventory vars plus its magic vars, computed on access. */
export function hostvarsMapping(facts: InventoryFacts): LazyMapping {
  const names = Object.keys(facts.hostvars);
  for (const h of facts.groups.all ?? []) if (!names.includes(h)) names.push(h);
  return {
    [LAZY]: true,
    get: (key: string) =>
      names.includes(key) ? { ...(facts.hostvars[key] ?? {}), ...hostMagic(facts, key) } : new Undefined(key, `"hostvars['${key}']" is undefined`),
    has: (key: string) => names.includes(key),
    keys: () => [...names],
  };
}

/** Play variables for localhost, as the engine layers them: inventory < vars_files < magic. */
export function playVars(facts: InventoryFacts): Record<string, unknown> {
  const varsFile = YAML.parse(fs.readFileSync(path.join(SUITE_DIR, 'vars.yml'), 'utf8'), { version: '1.1' }) as Record<string, unknown>;
  return {
    ...(facts.hostvars.localhost ?? {}),
    ...varsFile,
    ...hostMagic(facts, 'localhost'),
    groups: facts.groups,
    hostvars: hostvarsMapping(facts),
    omit: OMIT_TOKEN,
    playbook_dir: SUITE_DIR,
  };
}

export function lookupContext(facts: InventoryFacts): LookupContext {
  return {
    baseDir: SUITE_DIR,
    findFile(kind, rel) {
      const candidates = path.isAbsolute(rel) ? [rel] : [path.join(SUITE_DIR, kind, rel), path.join(SUITE_DIR, rel)];
      return candidates.find((p) => fs.existsSync(p));
    },
    inventoryHostnames: (pattern) => matchPattern(facts, pattern),
  };
}

type TemplarCtor = new (vars: Record<string, unknown>, options?: TemplarOptions) => TemplarApi;

/** The Templar class, loaded lazily so a missing templar.ts fails each case, not the import. */
export function loadTemplar(): TemplarCtor {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require('../../../src/template/templar') as { Templar: TemplarCtor };
  return mod.Templar;
}

export interface Renderer {
  render(c: ParityCase): Outcome;
  dispose(): void;
}

/** Renders cases with tsible; inline templates go to a temp dir, like the recorder does. */
export function createRenderer(facts: InventoryFacts, env: Record<string, string>): Renderer {
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  const Templar = loadTemplar();
  const lookups = lookupContext(facts);
  const baseOptions: TemplarOptions = { lookups, omitToken: OMIT_TOKEN, ansibleManaged: 'Ansible managed' };
  const vars = playVars(facts);
  const inlineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-inline-'));
  return {
    render(c) {
      const templatePath = c.file !== undefined ? path.join(SUITE_DIR, 'templates', c.file) : path.join(inlineDir, `${c.id}.j2`);
      const searchPath = [path.dirname(templatePath), path.join(SUITE_DIR, 'templates'), SUITE_DIR];
      const templar = new Templar(vars, { ...baseOptions, searchPath }).withVars(c.vars ?? {});
      try {
        if (c.when !== undefined) {
          const value = templar.evaluateConditional(c.when);
          return { failed: false, value: encodeTagged(value), type: pyTypeName(value) };
        }
        if (c.expr !== undefined || c.string !== undefined) {
          const value = templar.template(c.expr !== undefined ? `{{ ${c.expr} }}` : c.string);
          return { failed: false, value: encodeTagged(value), type: pyTypeName(value) };
        }
        if (c.template !== undefined) fs.writeFileSync(templatePath, c.template);
        return { failed: false, text: templar.renderFile(templatePath, { ...templateFileOptions(c.options), dest: `/tmp/out/${c.id}.txt` }) };
      } catch (err) {
        if (err instanceof TemplateError) return { failed: true, error: err.message };
        throw err;
      }
    },
    dispose: () => fs.rmSync(inlineDir, { recursive: true, force: true }),
  };
}

/** template module arguments (snake_case) as renderFile options. */
function templateFileOptions(options: Record<string, unknown> = {}): TemplateFileOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase())] = v;
  return out as TemplateFileOptions;
}

/** What is compared: failed-ness; then the value and normalised type, or the exact text. */
export function comparable(o: Outcome): Record<string, unknown> {
  if (o.failed) return { failed: true };
  if (o.text !== undefined) return { failed: false, text: o.text };
  return { failed: false, value: o.value, type: normaliseAnsibleType(o.type) };
}
