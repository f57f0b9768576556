// Loads YAML files as Ansible does (YAML 1.1, PyYAML rules) into plain values, and
// remembers where every mapping and sequence came from for error messages.
import { VaultedText } from '../vault/vaulted-text';
import * as fs from 'fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { TsibleError, type SourceLocation } from '../errors';
import { pyyamlScalarTags } from './yaml11';
import { isVaultText } from '../vault/envelope';
import type { Vault } from '../vault/secrets';

/** Source positions of loaded mappings and sequences (keyed by the resulting object). */
export class PositionMap {
  private readonly map = new WeakMap<object, SourceLocation>();
  set(obj: object, loc: SourceLocation): void {
    this.map.set(obj, loc);
  }
  get(obj: unknown): SourceLocation | undefined {
    return typeof obj === 'object' && obj !== null ? this.map.get(obj) : undefined;
  }
}

export interface LoadOptions {
  positions?: PositionMap;
  /** ANSIBLE_DUPLICATE_YAML_DICT_KEY: warn (default), error or ignore. */
  duplicateKeys?: 'warn' | 'error' | 'ignore';
  warn?: (msg: string) => void;
  /** The run's vault secrets: vault-encrypted files and `!vault` values are decrypted with them. */
  vault?: Vault;
}

interface ConvertState {
  file: string;
  lines: LineCounter;
  positions: PositionMap | undefined;
  anchors: Map<string, unknown>;
  opts: LoadOptions;
  /** Inside a `!unsafe` collection: every string in it is unsafe. */
  unsafe?: boolean;
}

/**
 * `!unsafe` text is never templated. Values here are plain strings, so unsafe text that
 * contains template syntax is kept as a Jinja raw block, which renders back to exactly the
 * text (a raw block cannot contain its own end tag: that part is emitted as a string literal).
 */
export function unsafeText(text: string): string {
  if (!/[{][{%#]/.test(text)) return text;
  const parts = text.split(/([{]%-?\s*endraw\s*-?%[}])/);
  return parts.map((p, i) => (i % 2 ? `{{ ${JSON.stringify(p)} }}` : p ? `{% raw %}${p}{% endraw %}` : '')).join('');
}

function convert(node: Node | null | undefined, outer: ConvertState): unknown {
  const st = node && !isAlias(node) && node.tag === '!unsafe' && !outer.unsafe ? { ...outer, unsafe: true } : outer;
  const { file, lines, positions, anchors } = st;
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return anchors.get(node.source) ?? null;
  const remember = (value: unknown) => {
    if (node.anchor) anchors.set(node.anchor, value);
  };
  const locate = (obj: object) => {
    if (!positions || !node.range) return;
    const p = lines.linePos(node.range[0]);
    positions.set(obj, { file, line: p.line, column: p.col });
  };
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    remember(out);
    locate(out);
    const merges: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const rawKey = isScalar(keyNode) ? keyNode.value : convert(keyNode, st);
      if (isScalar(keyNode) && keyNode.source === '<<' && keyNode.type === 'PLAIN') {
        const v = convert(pair.value as Node, st);
        for (const m of Array.isArray(v) ? v : [v]) if (m && typeof m === 'object') merges.push(m as Record<string, unknown>);
        continue;
      }
      const key = rawKey === null ? 'null' : typeof rawKey === 'object' ? JSON.stringify(rawKey) : String(rawKey);
      if (Object.prototype.hasOwnProperty.call(out, key)) duplicateKey(node, key, st);
      out[key] = convert(pair.value as Node, st);
    }
    // Merge keys: explicit keys win, earlier merged maps win over later ones.
    for (const m of merges) for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
    return out;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    remember(out);
    locate(out);
    for (const item of node.items) out.push(convert(item as Node, st));
    return out;
  }
  if (isScalar(node)) {
    if (node.tag === '!vault') {
      // kept encrypted, decrypted where it is used (as Ansible's AnsibleVaultEncryptedUnicode)
      const vaulted = new VaultedText(String(node.value), st.opts.vault);
      remember(vaulted);
      return vaulted;
    }
    const value = st.unsafe && typeof node.value === 'string' ? unsafeText(node.value) : node.value;
    remember(value);
    return value;
  }
  return null;
}

/** PyYAML-as-Ansible: a repeated key warns (or errors, or passes) naming the mapping's position. */
function duplicateKey(map: Node, key: string, st: ConvertState): void {
  const mode = st.opts.duplicateKeys ?? 'warn';
  if (mode === 'ignore') return;
  const loc = locOf(map, st.file, st.lines) ?? { file: st.file, line: 1, column: 1 };
  const msg = `While constructing a mapping from ${st.file}, line ${loc.line}, column ${loc.column}, found a duplicate dict key (${key}). Using last defined value only.`;
  if (mode === 'error') throw new TsibleError('YAML_SYNTAX', `Syntax Error while loading YAML.\n  ${msg}`, loc);
  st.opts.warn?.(msg);
}

function locOf(node: Node, file: string, lines: LineCounter): SourceLocation | undefined {
  if (!node.range) return undefined;
  const p = lines.linePos(node.range[0]);
  return { file, line: p.line, column: p.col };
}

/** Parses YAML text; `file` is used for positions and errors. */
export function loadYamlText(text: string, file: string, opts: LoadOptions = {}): unknown {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.1',
    schema: 'failsafe',
    customTags: (tags) => [...tags, ...pyyamlScalarTags],
    merge: false,
    uniqueKeys: false,
    lineCounter: lines,
    prettyErrors: false,
    strict: false,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      const loc = { file, line: pos.line, column: pos.col };
      throw new TsibleError('YAML_SYNTAX', `Syntax Error while loading YAML.\n  ${firstLine(err.message)}`, loc);
    }
  }
  if (list.length === 0) return null;
  if (list.length > 1 && list.slice(1).some((d) => d.contents !== null)) {
    throw new TsibleError('YAML_SYNTAX', 'Syntax Error while loading YAML.\n  expected a single document in the stream', {
      file,
      line: 1,
      column: 1,
    });
  }
  const first = list[0];
  return convert(first?.contents as Node, { file, lines, positions: opts.positions, anchors: new Map(), opts });
}

function firstLine(msg: string): string {
  return (msg.split('\n')[0] ?? msg).replace(/ at line \d+, column \d+:?$/, '');
}

/** Loads a YAML (or JSON) file from the controller. */
export function loadYamlFile(file: string, opts: LoadOptions = {}): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TsibleError('MISSING_FILE', `Could not find or access '${file}': ${(e as Error).message}`);
  }
  if (isVaultText(text)) {
    if (!opts.vault) throw new TsibleError('VAULT', 'Attempting to decrypt but no vault secrets found', undefined, 1);
    text = opts.vault.decrypt(text, file).toString('utf8');
  }
  return loadYamlText(text, file, opts);
}
