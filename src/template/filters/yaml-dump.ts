// A YAML emitter reproducing yaml.dump() with Ansible's AnsibleDumper (libyaml's CSafeDumper:
// sort_keys, allow_unicode, width 80 folding) for to_yaml / to_nice_yaml.
import { TemplateError, UndefinedVariableError } from '../../errors';
import { floatRepr, isDict, isLazyMapping, isUndefined, PyFloat } from '../pyvalues';
import { getItem, mappingKeys } from './helpers';
import { analyzeScalar, resolvesToNonString } from './yaml-scalar';

export interface YamlDumpOptions {
  indent?: number;
  width?: number;
  /** null: flow style for collections of scalars only (PyYAML default); true/false: always/never. */
  defaultFlowStyle?: boolean | null;
  sortKeys?: boolean;
  explicitStart?: boolean;
}

interface Scalar {
  kind: 'scalar';
  text: string;
  plainAllowed: boolean; // the resolver would read it back with the same type
}
interface Collection {
  kind: 'seq' | 'map';
  flow: boolean;
  items: Node[]; // map: key, value, key, value...
}
type Node = Scalar | Collection;

function representScalar(v: unknown): Scalar | undefined {
  if (v === null || v === undefined) return { kind: 'scalar', text: 'null', plainAllowed: true };
  if (typeof v === 'boolean') return { kind: 'scalar', text: v ? 'true' : 'false', plainAllowed: true };
  if (typeof v === 'number' || v instanceof PyFloat) {
    const n = typeof v === 'number' ? v : v.value;
    if (typeof v === 'number' && Number.isInteger(v)) return { kind: 'scalar', text: String(v), plainAllowed: true };
    let text: string;
    if (Number.isNaN(n)) text = '.nan';
    else if (n === Infinity) text = '.inf';
    else if (n === -Infinity) text = '-.inf';
    else {
      text = floatRepr(n).toLowerCase();
      if (!text.includes('.') && text.includes('e')) text = text.replace('e', '.0e');
    }
    return { kind: 'scalar', text, plainAllowed: true };
  }
  if (typeof v === 'string') return { kind: 'scalar', text: v, plainAllowed: !resolvesToNonString(v) };
  return undefined;
}

function represent(v: unknown, opts: YamlDumpOptions): Node {
  if (isUndefined(v)) throw new UndefinedVariableError(v.name, v.message);
  const scalar = representScalar(v);
  if (scalar) return scalar;
  const flowFor = (items: Node[]) => (opts.defaultFlowStyle === null || opts.defaultFlowStyle === undefined ? items.every((n) => n.kind === 'scalar') : opts.defaultFlowStyle);
  if (Array.isArray(v)) {
    const items = v.map((x) => represent(x, opts));
    return { kind: 'seq', flow: flowFor(items), items };
  }
  if (isDict(v) || isLazyMapping(v)) {
    const keys = mappingKeys(v);
    if (opts.sortKeys !== false) keys.sort();
    const items: Node[] = [];
    for (const k of keys) items.push(represent(k, opts), represent(getItem(v, k), opts));
    return { kind: 'map', flow: flowFor(items), items };
  }
  throw new TemplateError(`cannot represent an object: ${String(v)}`);
}

/** PyYAML Emitter state, reduced to the parts the Safe dumper's output depends on. */
class Writer {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  openEnded = false;
  indent: number | null = null;
  indents: (number | null)[] = [];
  flowLevel = 0;
  constructor(
    readonly bestIndent: number,
    readonly bestWidth: number,
  ) {}

  write(data: string): void {
    this.out += data;
    this.column += Array.from(data).length;
  }
  lineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.out += data;
  }
  writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }
  indicator(ind: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? ind : ' ' + ind;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = false;
    this.write(data);
  }
  increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }
  popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }
}

interface NodeContext {
  root: boolean;
  sequence: boolean;
  mapping: boolean;
  simpleKey: boolean;
}

function emitNode(w: Writer, node: Node, ctx: NodeContext): void {
  if (node.kind === 'scalar') return emitScalar(w, node, ctx);
  const empty = node.items.length === 0;
  if (w.flowLevel || node.flow || empty) return node.kind === 'seq' ? emitFlowSeq(w, node) : emitFlowMap(w, node);
  return node.kind === 'seq' ? emitBlockSeq(w, node, ctx) : emitBlockMap(w, node);
}

function emitScalar(w: Writer, node: Scalar, ctx: NodeContext): void {
  w.increaseIndent(true);
  const a = analyzeScalar(node.text);
  const split = !ctx.simpleKey;
  let style: 'plain' | 'single' | 'double' = 'double';
  if (node.plainAllowed && !(ctx.simpleKey && (a.empty || a.multiline)) && (w.flowLevel ? a.allowFlowPlain : a.allowBlockPlain)) style = 'plain';
  else if (a.allowSingleQuoted && !(ctx.simpleKey && a.multiline)) style = 'single';
  if (style === 'plain') writePlain(w, node.text, split, ctx.root);
  else if (style === 'single') writeSingleQuoted(w, node.text, split);
  else writeDoubleQuoted(w, node.text, split);
  w.popIndent();
}

const BREAKS = '\n\x85\u2028\u2029';

function writeLineBreaks(w: Writer, chars: string[]): void {
  if (chars[0] === '\n') w.lineBreak();
  for (const br of chars) w.lineBreak(br === '\n' ? '\n' : br);
  w.writeIndent();
}

function writePlain(w: Writer, text: string, split: boolean, root: boolean): void {
  if (root) w.openEnded = true;
  if (!text) return;
  if (!w.whitespace) w.write(' ');
  w.whitespace = false;
  w.indention = false;
  const chars = Array.from(text);
  let spaces = false;
  let breaks = false;
  let start = 0;
  for (let end = 0; end <= chars.length; end++) {
    const ch = chars[end];
    if (spaces) {
      if (ch !== ' ') {
        if (start + 1 === end && w.column > w.bestWidth && split) {
          w.writeIndent();
          w.whitespace = false;
          w.indention = false;
        } else w.write(chars.slice(start, end).join(''));
        start = end;
      }
    } else if (breaks) {
      if (ch === undefined || !BREAKS.includes(ch)) {
        writeLineBreaks(w, chars.slice(start, end));
        w.whitespace = false;
        w.indention = false;
        start = end;
      }
    } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch)) {
      w.write(chars.slice(start, end).join(''));
      start = end;
    }
    if (ch !== undefined) {
      spaces = ch === ' ';
      breaks = BREAKS.includes(ch);
    }
  }
}

function writeSingleQuoted(w: Writer, text: string, split: boolean): void {
  w.indicator("'", true);
  const chars = Array.from(text);
  let spaces = false;
  let breaks = false;
  let start = 0;
  for (let end = 0; end <= chars.length; end++) {
    const ch = chars[end];
    if (spaces) {
      if (ch !== ' ') {
        if (start + 1 === end && w.column > w.bestWidth && split && start !== 0 && end !== chars.length) w.writeIndent();
        else w.write(chars.slice(start, end).join(''));
        start = end;
      }
    } else if (breaks) {
      if (ch === undefined || !BREAKS.includes(ch)) {
        writeLineBreaks(w, chars.slice(start, end));
        start = end;
      }
    } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch) || ch === "'") {
      if (start < end) {
        w.write(chars.slice(start, end).join(''));
        start = end;
      }
    }
    if (ch === "'") {
      w.write("''");
      start = end + 1;
    }
    if (ch !== undefined) {
      spaces = ch === ' ';
      breaks = BREAKS.includes(ch);
    }
  }
  w.indicator("'", false);
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\x08': 'b', '\t': 't', '\n': 'n', '\x0b': 'v', '\x0c': 'f', '\r': 'r',
  '\x1b': 'e', '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P',
};

function needsEscape(ch: string): boolean {
  if ('"\\\x85\u2028\u2029\ufeff'.includes(ch)) return true;
  const c = ch.codePointAt(0)!;
  const printable = (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
  return !printable;
}

function escapeChar(ch: string): string {
  if (ESCAPES[ch] !== undefined) return '\\' + ESCAPES[ch];
  const c = ch.codePointAt(0)!;
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (c <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

/** libyaml's double-quoted writer: escapes, and folds at the first space past the width. */
function writeDoubleQuoted(w: Writer, text: string, split: boolean): void {
  w.indicator('"', true);
  const chars = Array.from(text);
  let spaces = false;
  chars.forEach((ch, i) => {
    if (needsEscape(ch)) {
      w.write(escapeChar(ch));
      spaces = false;
    } else if (ch === ' ') {
      if (split && !spaces && w.column > w.bestWidth && i !== 0 && i !== chars.length - 1) {
        w.writeIndent();
        if (chars[i + 1] === ' ') w.write('\\');
      } else w.write(ch);
      spaces = true;
    } else {
      w.write(ch);
      spaces = false;
    }
  });
  w.indicator('"', false);
}

function emitFlowSeq(w: Writer, node: Collection): void {
  w.indicator('[', true, true);
  w.flowLevel++;
  w.increaseIndent(true);
  node.items.forEach((item, i) => {
    if (i > 0) w.indicator(',', false);
    if (w.column > w.bestWidth) w.writeIndent();
    emitNode(w, item, { root: false, sequence: true, mapping: false, simpleKey: false });
  });
  w.popIndent();
  w.flowLevel--;
  w.indicator(']', false);
}

function emitFlowMap(w: Writer, node: Collection): void {
  w.indicator('{', true, true);
  w.flowLevel++;
  w.increaseIndent(true);
  for (let i = 0; i < node.items.length; i += 2) {
    if (i > 0) w.indicator(',', false);
    if (w.column > w.bestWidth) w.writeIndent();
    const key = node.items[i]!;
    if (isSimpleKey(key)) {
      emitNode(w, key, { root: false, sequence: false, mapping: true, simpleKey: true });
      w.indicator(':', false);
    } else {
      w.indicator('?', true);
      emitNode(w, key, { root: false, sequence: false, mapping: true, simpleKey: false });
      if (w.column > w.bestWidth) w.writeIndent();
      w.indicator(':', true);
    }
    emitNode(w, node.items[i + 1]!, { root: false, sequence: false, mapping: true, simpleKey: false });
  }
  w.popIndent();
  w.flowLevel--;
  w.indicator('}', false);
}

/** libyaml's check_simple_key for the nodes we produce (empty strings are simple). */
function isSimpleKey(key: Node): boolean {
  if (key.kind !== 'scalar') return key.items.length === 0;
  const a = analyzeScalar(key.text);
  return Array.from(key.text).length <= 128 && !a.multiline;
}

function emitBlockSeq(w: Writer, node: Collection, ctx: NodeContext): void {
  w.increaseIndent(false, ctx.mapping && !w.indention);
  for (const item of node.items) {
    w.writeIndent();
    w.indicator('-', true, false, true);
    emitNode(w, item, { root: false, sequence: true, mapping: false, simpleKey: false });
  }
  w.popIndent();
}

function emitBlockMap(w: Writer, node: Collection): void {
  w.increaseIndent(false);
  for (let i = 0; i < node.items.length; i += 2) {
    w.writeIndent();
    const key = node.items[i]!;
    if (isSimpleKey(key)) {
      emitNode(w, key, { root: false, sequence: false, mapping: true, simpleKey: true });
      w.indicator(':', false);
    } else {
      w.indicator('?', true, false, true);
      emitNode(w, key, { root: false, sequence: false, mapping: true, simpleKey: false });
      w.writeIndent();
      w.indicator(':', true, false, true);
    }
    emitNode(w, node.items[i + 1]!, { root: false, sequence: false, mapping: true, simpleKey: false });
  }
  w.popIndent();
}

/** yaml.dump(value, Dumper=SafeDumper-like, allow_unicode=True, ...). */
export function yamlDump(value: unknown, opts: YamlDumpOptions = {}): string {
  const indent = opts.indent !== undefined && opts.indent > 1 && opts.indent < 10 ? opts.indent : 2;
  const width = opts.width !== undefined && opts.width > indent * 2 ? opts.width : 80;
  const w = new Writer(indent, width);
  if (opts.explicitStart) {
    w.indicator('---', true);
  }
  emitNode(w, represent(value, opts), { root: true, sequence: false, mapping: false, simpleKey: false });
  // libyaml (CSafeDumper, which Ansible uses) does not close a root plain scalar with '...'.
  w.writeIndent();
  return w.out;
}
