// The Templar: renders strings, structures and template files with Ansible 2.14's rules
// (lazy variables, native-type conversion, conditionals, #jinja2: overrides).
import * as fs from 'fs';
import * as path from 'path';
import { TemplateError, UndefinedVariableError } from '../errors';
import type { TemplateFileOptions } from '../modules/types';
import type { Stmt } from './ast';
import { evalConcat, textConcat, trailingNewlines } from './concat';
import { Frame, type RenderEnv } from './env';
import { TemplateCompileError } from './evaluator';
import { makeGlobals } from './globals';
import { defaultLexerOptions, type LexerOptions } from './lexer';
import { parseTemplate } from './parse-stmt';
import type { PluginContext } from './plugin-types';
import { loadPlugins, PluginLoadError, type PluginRegistry } from './plugins';
import { PyTypeError, raiseUndefined } from './pyops';
import { LAZY, type LazyMapping, PyFloat, Undefined, isDict, isLazyMapping, isUnsafe, isUndefined, pyStr, truthy } from './pyvalues';
import { Renderer, type TemplateErrorPosition } from './render';
import { jinjaOverrides, templateFileVars } from './file-vars';
import type { TemplarApi, TemplateOptions, TemplarOptions } from './types';

/** Inline strings: trim_blocks on, backslashes inside {{ }} kept (Ansible's escape_backslashes). */
const INLINE_LEXER: Readonly<LexerOptions> = Object.freeze({ ...defaultLexerOptions, escapeBackslashes: true });

/** Parsed templates kept per run before the cache starts over. */
const PARSE_CACHE_LIMIT = 20000;

/** State shared by a Templar and the Templars derived from it with withVars(). */
export interface TemplarShared {
  options: TemplarOptions;
  plugins: PluginRegistry;
  /** Parsed templates by lexer options + source. */
  cache: Map<string, Stmt[]>;
}

interface RenderRequest {
  lexer: LexerOptions;
  convertData: boolean;
  failOnUndefined: boolean;
  templatePath?: string;
  searchPath: string[];
}

export class Templar implements TemplarApi {
  private readonly shared: TemplarShared;
  /** Variables being templated right now, to detect self-reference. */
  private readonly resolving = new Set<string>();
  /** Plugin context bound to this templar, and its globals (range, lookup...) built on first use. */
  private pluginContextCache?: PluginContext;
  private globalsCache?: Record<string, unknown>;
  /** Variables resolved during the current top-level render (variables cannot change mid-render). */
  private renderMemo?: Map<string, unknown>;
  /** How many renders are in progress on this templar (nested: lazy variables render inside renders). */
  private renderDepth = 0;

  /** Variable layers, innermost first (withVars adds a layer instead of copying every variable). */
  private readonly layers: Record<string, unknown>[];

  constructor(vars: Record<string, unknown>, options: TemplarOptions = {}, shared?: TemplarShared, parentLayers: Record<string, unknown>[] = []) {
    this.shared = shared ?? { options, plugins: loadPlugins(options.plugins), cache: new Map() };
    this.layers = [vars, ...parentLayers];
  }

  withVars(extra: Record<string, unknown>): Templar {
    return new Templar(extra, this.shared.options, this.shared, this.layers);
  }

  /** Every variable name, outermost layer first (the order Ansible's merged variables have). */
  variableNames(): string[] {
    const names = new Set<string>();
    for (let i = this.layers.length - 1; i >= 0; i--) for (const k of Object.keys(this.layers[i]!)) names.add(k);
    return [...names];
  }

  private hasVar(name: string): boolean {
    return this.layers.some((l) => Object.prototype.hasOwnProperty.call(l, name));
  }

  private rawVar(name: string): unknown {
    for (const l of this.layers) if (Object.prototype.hasOwnProperty.call(l, name)) return l[name];
    return undefined;
  }

  isTemplate(value: unknown): boolean {
    return containsTemplate(value);
  }

  template(value: unknown, opts: TemplateOptions = {}): unknown {
    if (typeof value === 'string') return this.templateString(value, opts);
    if (isUnsafe(value)) return value;
    if (Array.isArray(value)) return value.map((v) => this.template(v, opts));
    if (isDict(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.template(v, opts);
      return out;
    }
    return value;
  }

  /** The expression's own value (no text round trip): `l | length` gives 2, not '2'. */
  evaluate(expression: string): unknown {
    const src = `{{ ${expression} }}`;
    const body = this.parseCached(src, INLINE_LEXER);
    const only = body.length === 1 ? body[0] : undefined;
    if (!only || only.kind !== 'output') throw new TemplateError(`template error while templating string: invalid expression. String: ${src}`);
    const env = this.renderEnv({ lexer: INLINE_LEXER, convertData: true, failOnUndefined: true, searchPath: this.shared.options.searchPath ?? [] });
    this.renderDepth++;
    try {
      const value = new Renderer(env).ev.eval(only.expr, new Frame(undefined));
      if (isUndefined(value) && !value.lenient) raiseUndefined(value);
      return value;
    } catch (e) {
      if (e instanceof UndefinedVariableError) throw new UndefinedVariableError(e.variable, `${e.message}. ${e.message}`);
      if (e instanceof TemplateCompileError) throw syntaxError(e.message, src);
      if (e instanceof PyTypeError) throw new TemplateError(`Unexpected templating type error occurred on (${src}): ${e.message}. ${e.message}`);
      throw e;
    } finally {
      this.endRender();
    }
  }

  private endRender(): void {
    if (--this.renderDepth === 0) this.renderMemo = undefined;
  }

  evaluateConditional(conditional: unknown): boolean {
    // a `when:` list: every item must hold, evaluated in order until one is false
    if (Array.isArray(conditional)) return conditional.every((c) => this.evaluateConditional(c));
    if (conditional === null || conditional === undefined || conditional === '') return true;
    if (typeof conditional === 'boolean') return conditional;
    const original = pyStr(conditional);
    if (typeof conditional !== "boolean" && hasTemplateSyntax(original)) {
      this.shared.options.lookups?.warn?.(`conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${original}`);
    }
    try {
      const templated = this.template(conditional);
      if (typeof templated !== 'string' || templated === '') return truthy(templated);
      const presented = `{% if ${templated} %} True {% else %} False {% endif %}`;
      const val = pyStr(this.template(presented)).trim();
      if (val === 'True') return true;
      if (val === 'False') return false;
      throw new TemplateError(`unable to evaluate conditional: ${original}`);
    } catch (e) {
      if (e instanceof UndefinedVariableError) {
        const known = definedTestOutcome(original, e.message);
        if (known !== undefined) return known;
        throw new UndefinedVariableError(e.variable, `The conditional check '${original}' failed. The error was: error while evaluating conditional (${original}): ${e.message}`);
      }
      if (e instanceof TemplateError) throw new TemplateError(`The conditional check '${original}' failed. The error was: ${e.message}`);
      throw e;
    }
  }

  renderFile(absPath: string, opts: TemplateFileOptions = {}): string {
    let source: string;
    try {
      source = opts.source ?? fs.readFileSync(absPath, 'utf8');
    } catch (e) {
      throw new TemplateError(`Could not find or access '${absPath}'`);
    }
    const lexer: LexerOptions = {
      ...defaultLexerOptions,
      trimBlocks: opts.trimBlocks ?? true,
      lstripBlocks: opts.lstripBlocks ?? false,
      newlineSequence: opts.newlineSequence ?? '\n',
      variableStart: opts.variableStartString ?? '{{',
      variableEnd: opts.variableEndString ?? '}}',
      blockStart: opts.blockStartString ?? '{%',
      blockEnd: opts.blockEndString ?? '%}',
      commentStart: opts.commentStartString ?? '{#',
      commentEnd: opts.commentEndString ?? '#}',
    };
    const fileVars = templateFileVars(absPath, opts.dest, this.shared.options.ansibleManaged);
    const t = this.withVars({ ...fileVars, ...opts.extraVars });
    const searchPath = [...(this.shared.options.searchPath ?? []), path.dirname(absPath)];
    try {
      return pyStr(t.doTemplate(source, { lexer, convertData: false, failOnUndefined: true, templatePath: absPath, searchPath }));
    } catch (e) {
      // the template action's message; the position stays available on the error
      if (e instanceof UndefinedVariableError) throw withPosition(new UndefinedVariableError(e.variable, `AnsibleUndefinedVariable: ${e.message}`), e, absPath);
      // a plugin missing at render time escapes Ansible's templar as Jinja's TemplateSyntaxError (line 0)
      if (e instanceof PluginLoadError) throw withPosition(new TemplateError(`TemplateSyntaxError: ${e.message}\n  line 0`), e, absPath);
      if (e instanceof TemplateError) throw withPosition(new TemplateError(`AnsibleError: ${e.message}`), e, absPath);
      throw e;
    }
  }

  private templateString(s: string, opts: TemplateOptions): unknown {
    if (!hasTemplateSyntax(s)) return s;
    // Python's `$` also matches before a final newline
    const single = /^\{\{\s*(\w*)\s*\}\}\n?$/.exec(s);
    if (single && this.hasVar(single[1] as string)) {
      const raw = this.rawVar(single[1] as string);
      if (typeof raw === 'boolean' || typeof raw === 'number' || raw instanceof PyFloat) return raw;
      if (raw === null) return null;
    }
    return this.doTemplate(s, {
      lexer: INLINE_LEXER,
      convertData: !opts.convertToString,
      failOnUndefined: opts.failOnUndefined ?? true,
      searchPath: this.shared.options.searchPath ?? [],
    });
  }

  /** Ansible's do_template: header overrides, parse (cached), render, concat, trailing newlines. */
  private doTemplate(data: string, req: RenderRequest): unknown {
    let src = data;
    let lexer = req.lexer;
    if (src.startsWith('#jinja2:')) {
      const eol = src.indexOf('\n');
      lexer = jinjaOverrides(src.slice('#jinja2:'.length, eol < 0 ? undefined : eol), lexer);
      src = eol < 0 ? '' : src.slice(eol + 1);
    }
    const wantedNewlines = trailingNewlines(src);
    let body: Stmt[];
    try {
      body = this.parseCached(src, lexer);
    } catch (e) {
      // Ansible quotes the source after doubling the backslashes inside {{ }}
      const shown = lexer.escapeBackslashes ? data.replace(/\{\{[\s\S]*?\}\}/g, (m) => m.replace(/\\/g, '\\\\')) : data;
      if (e instanceof TemplateError) throw withPosition(syntaxError(e.message, shown), e, req.templatePath);
      throw e;
    }
    const env = this.renderEnv(req);
    let result: unknown;
    this.renderDepth++;
    try {
      const pieces = new Renderer(env).renderTemplate(body, new Frame(undefined, req.templatePath));
      result = req.convertData ? evalConcat(pieces) : textConcat(pieces);
    } catch (e) {
      if (e instanceof UndefinedVariableError) {
        if (!req.failOnUndefined) return data;
        throw withPosition(new UndefinedVariableError(e.variable, `${e.message}. ${e.message}`), e, req.templatePath);
      }
      if (e instanceof TemplateCompileError) throw withPosition(syntaxError(e.message, data), e, req.templatePath);
      if (e instanceof PyTypeError) throw withPosition(new TemplateError(`Unexpected templating type error occurred on (${data}): ${e.message}. ${e.message}`), e, req.templatePath);
      throw e;
    } finally {
      this.endRender();
    }
    if (typeof result === 'string') {
      const have = trailingNewlines(result);
      if (wantedNewlines > have) result += lexer.newlineSequence.repeat(wantedNewlines - have);
    }
    return result;
  }

  private parseCached(src: string, lexer: LexerOptions): Stmt[] {
    // inline sources key by themselves (no concatenation, V8 keeps their hash); other lexers'
    // keys carry a NUL, so an inline source with a NUL is prefixed too
    const key = lexer === INLINE_LEXER && !src.includes('\u0000') ? src : (lexer === INLINE_LEXER ? '' : JSON.stringify(lexer)) + '\u0000' + src;
    let body = this.shared.cache.get(key);
    if (!body) {
      body = parseTemplate(src, lexer);
      // a run templates many one-off strings (conditionals with values spliced in): bound the memory
      if (this.shared.cache.size >= PARSE_CACHE_LIMIT) this.shared.cache.clear();
      this.shared.cache.set(key, body);
    }
    return body;
  }

  private renderEnv(req: RenderRequest): RenderEnv {
    const context = (this.pluginContextCache ??= {
      templar: this,
      resolveVariable: (name) => this.resolve(name),
      lookups: this.shared.options.lookups,
      variableNames: () => this.variableNames(),
      plugins: this.shared.plugins,
    });
    return {
      resolve: context.resolveVariable,
      plugins: this.shared.plugins,
      pluginContext: context,
      global: (name) => {
        const globals = (this.globalsCache ??= makeGlobals(this.shared.plugins, context));
        return Object.prototype.hasOwnProperty.call(globals, name) ? globals[name] : undefined;
      },
      concat: req.convertData ? evalConcat : textConcat,
      loadTemplate: (name, from) => this.loadTemplate(name, from, req),
    };
  }

  private loadTemplate(name: string, from: string | undefined, req: RenderRequest): { body: Stmt[]; path: string } | undefined {
    const dirs = [...req.searchPath, ...(from ? [path.dirname(from)] : [])];
    const candidates = path.isAbsolute(name) ? [name] : dirs.map((d) => path.join(d, name));
    for (const file of candidates) {
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
      let src = fs.readFileSync(file, 'utf8');
      // included templates do not keep their trailing newline (keep_trailing_newline=False)
      let lexer: LexerOptions = { ...req.lexer, escapeBackslashes: false };
      if (src.startsWith('#jinja2:')) {
        const eol = src.indexOf('\n');
        lexer = jinjaOverrides(src.slice('#jinja2:'.length, eol < 0 ? undefined : eol), lexer);
        src = eol < 0 ? '' : src.slice(eol + 1);
      }
      return { body: this.parseCached(src, lexer), path: file };
    }
    return undefined;
  }

  /** A variable as templates see it: templated on access (Ansible's AnsibleJ2Vars). */
  resolve(name: string): unknown {
    const memo = this.renderMemo;
    if (memo?.has(name)) return memo.get(name);
    const value = this.resolveUncached(name);
    if (this.renderDepth > 0) (this.renderMemo ??= new Map()).set(name, value);
    return value;
  }

  private resolveUncached(name: string): unknown {
    if (!this.hasVar(name)) {
      if (name === 'vars') return this.varsMapping();
      if (name === 'omit' && this.shared.options.omitToken !== undefined) return this.shared.options.omitToken;
      return new Undefined(name);
    }
    const raw = this.rawVar(name);
    if (isLazyMapping(raw)) return raw;
    if (!this.isTemplate(raw)) return raw;
    if (this.resolving.has(name)) throw new TemplateError(`recursive loop detected in template string: ${pyStr(raw)}`);
    this.resolving.add(name);
    try {
      return this.template(raw);
    } catch (e) {
      if (e instanceof UndefinedVariableError) return new Undefined(name, `${pyStr(raw)}: ${e.message}`);
      if (e instanceof TemplateError && !e.message.startsWith('recursive loop detected') && !e.message.startsWith('An unhandled exception')) {
        throw new TemplateError(`An unhandled exception occurred while templating '${pyStr(raw)}'. Error was a <class 'ansible.errors.AnsibleError'>, original message: ${e.message}`);
      }
      throw e;
    } finally {
      this.resolving.delete(name);
    }
  }

  /** The `vars` variable when the engine gives none: every variable, templated on access. */
  private varsMapping(): LazyMapping {
    return {
      [LAZY]: true,
      get: (key: string) => this.resolve(key),
      has: (key: string) => this.hasVar(key),
      keys: () => [...new Set(this.layers.flatMap((l) => Object.keys(l)))],
    };
  }
}

/** True when a string (or any key or value inside a list/dict) has Jinja2 syntax; allocation-free
 * because lazy variables (whole hostvars trees) are scanned on every render. */
function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return hasTemplateSyntax(value);
  if (isUnsafe(value)) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (containsTemplate(v)) return true;
    return false;
  }
  if (isDict(value)) {
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      if (hasTemplateSyntax(k) || containsTemplate(value[k])) return true;
    }
  }
  return false;
}

function hasTemplateSyntax(s: string): boolean {
  // one indexOf('{') rejects most plain strings before the three delimiter searches
  const brace = s.indexOf('{');
  return brace >= 0 && (s.includes('{{', brace) || s.includes('{%', brace) || s.includes('{#', brace));
}

/** Carries the template position of `from` over to a rewrapped error. */
function withPosition<E extends TemplateError>(err: E, from: unknown, fallbackPath: string | undefined): E {
  const src = from as TemplateErrorPosition;
  const dst = err as E & TemplateErrorPosition;
  dst.templateLine = src.templateLine;
  dst.templatePath = src.templatePath ?? (src.templateLine !== undefined ? fallbackPath : undefined);
  return err;
}

function syntaxError(message: string, data: string): TemplateError {
  return new TemplateError(`template error while templating string: ${message}. String: ${data}. ${message}`);
}

/** Ansible's shortcut: `x is defined` / `x is undefined` on a missing x decides the conditional. */
function definedTestOutcome(conditional: string, message: string): boolean | undefined {
  const m = /'(hostvars\[.+\]|[\w_]+)' is undefined/.exec(message);
  if (!m) return undefined;
  const varName = (m[1] as string).replace(/'/g, '"');
  const re = /([\w_]+(?:\[[^\]]+\])?)\s+is\s+(not\s+)?(defined|undefined)/g;
  let t: RegExpExecArray | null;
  while ((t = re.exec(conditional))) {
    if ((t[1] as string).replace(/'/g, '"') !== varName) continue;
    const shouldExist = !!t[2] !== (t[3] === 'defined');
    return !shouldExist;
  }
  return undefined;
}
