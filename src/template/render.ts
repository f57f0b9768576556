// Renders Jinja2 statements: output, if/for/set, macros and call blocks, include/import,
// filter and with blocks, and simple template inheritance (extends/block).
import { TemplateError, UndefinedVariableError } from '../errors';
import type { Expr, MacroDef, Stmt, Target } from './ast';
import { FILTER_INPUT } from './ast';
import { NativeText, STRING_TYPE_FILTERS, textConcat } from './concat';
import { Frame, type RenderEnv } from './env';
import { Evaluator, getAttr, pyTruthy } from './evaluator';
import { PyCallable, PyObject, PyTypeError, pyEq, pyIter, raiseUndefined } from './pyops';
import { Undefined, isDict, isLazyMapping, isUndefined, makeTuple, pyStr } from './pyvalues';

/** Where in a template an error happened; set on TemplateErrors thrown while rendering. */
export interface TemplateErrorPosition {
  templateLine?: number;
  templatePath?: string;
}

class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

/** Per-render state: block overrides for inheritance. */
interface RenderState {
  /** Bodies of each block, most derived template first (the next one is `super()`). */
  blocks: Map<string, Stmt[][]>;
  parent?: { body: Stmt[]; path: string };
}

/** Python's finalize in Ansible: None prints as '', undefined values anywhere inside raise. */
export function finalize(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (isUndefined(v)) {
    if (v.lenient) return '';
    raiseUndefined(v);
  }
  checkNestedUndefined(v);
  return v;
}

function checkNestedUndefined(v: unknown): void {
  if (Array.isArray(v)) for (const x of v) checkNestedUndefined(x);
  else if (isDict(v)) for (const x of Object.values(v)) checkNestedUndefined(x);
  else if (isUndefined(v) && !v.lenient) raiseUndefined(v);
}

export class Renderer {
  readonly ev: Evaluator;
  constructor(readonly env: RenderEnv) {
    this.ev = new Evaluator(env);
  }

  /** Renders a whole template body; returns the yielded pieces (data text and raw expression values). */
  renderTemplate(body: Stmt[], frame: Frame): unknown[] {
    const state: RenderState = { blocks: new Map() };
    const out: unknown[] = [];
    frame.vars.set('self', this.selfReference(body, frame, state));
    this.renderBody(body, frame, out, state);
    let parent = state.parent;
    while (parent) {
      const next: RenderState = { blocks: state.blocks };
      out.length = 0;
      this.renderBody(parent.body, new Frame(frame, parent.path), out, next);
      parent = next.parent;
    }
    return out;
  }

  /** Renders statements to text (macro bodies, set blocks, filter blocks). */
  renderText(body: Stmt[], frame: Frame, state: RenderState): string {
    const out: unknown[] = [];
    this.renderBody(body, frame, out, state);
    return out.map((x) => this.ev.toText(x)).join('');
  }

  private renderBody(body: Stmt[], frame: Frame, out: unknown[], state: RenderState): void {
    for (const st of body) {
      try {
        this.renderStmt(st, frame, out, state);
      } catch (e) {
        // remember where the innermost failing statement is (template file and line)
        if (e instanceof TemplateError && (e as TemplateErrorPosition).templateLine === undefined) {
          (e as TemplateErrorPosition).templateLine = st.line;
          (e as TemplateErrorPosition).templatePath = frame.path;
        }
        throw e;
      }
    }
  }

  private renderStmt(st: Stmt, frame: Frame, out: unknown[], state: RenderState): void {
    switch (st.kind) {
      case 'data':
        if (!state.parent) out.push(st.text);
        return;
      case 'output': {
        if (state.parent) return;
        const value = finalize(this.ev.eval(st.expr, frame));
        const stringFilter = st.expr.kind === 'filter' && STRING_TYPE_FILTERS.has(st.expr.name) && typeof value === 'string';
        out.push(stringFilter ? new NativeText(value as string) : value);
        return;
      }
      case 'if':
        for (const [test, branch] of st.branches) {
          if (pyTruthy(this.ev.eval(test, frame))) return this.renderBody(branch, frame, out, state);
        }
        if (st.else) this.renderBody(st.else, frame, out, state);
        return;
      case 'for':
        return this.renderFor(st, frame, out, state);
      case 'set':
        return this.assign(st.target, this.ev.eval(st.expr, frame), frame);
      case 'setblock': {
        const pieces: unknown[] = [];
        this.renderBody(st.body, frame.child(), pieces, state);
        let value = this.env.concat(pieces);
        for (const f of st.filters) value = this.applyFilterChain(f, value, frame);
        return this.assign(st.target, value, frame);
      }
      case 'macro':
        frame.vars.set(st.macro.name, this.makeMacro(st.macro, frame, state));
        return;
      case 'callblock': {
        const call = st.call as Extract<Expr, { kind: 'call' }>;
        const caller = this.makeMacro(st.macro, frame, state);
        const fn = this.ev.eval(call.fn, frame);
        const { args, kwargs } = this.ev.evalArgs(call.args, call.kwargs, frame);
        kwargs.caller = caller;
        if (!(fn instanceof PyCallable)) throw new PyTypeError(`'${pyStr(fn)}' object is not callable`);
        out.push(finalize(fn.fn(args, kwargs)));
        return;
      }
      case 'filterblock': {
        const text = this.renderText(st.body, frame.child(), state);
        out.push(finalize(this.applyFilterChain(st.filter, text, frame)));
        return;
      }
      case 'with': {
        const inner = frame.child();
        for (const [target, expr] of st.assigns) this.assign(target, this.ev.eval(expr, frame), inner);
        return this.renderBody(st.body, inner, out, state);
      }
      case 'include': {
        const loaded = this.loadTemplates(this.ev.eval(st.template, frame), frame, st.ignoreMissing);
        if (!loaded) return;
        const inner = st.withContext ? new Frame(frame, loaded.path) : new Frame(undefined, loaded.path);
        out.push(...this.renderTemplate(loaded.body, inner).filter(() => !state.parent));
        return;
      }
      case 'import': {
        frame.vars.set(st.target, this.importModule(st.template, frame, st.withContext));
        return;
      }
      case 'fromimport': {
        const mod = this.importModule(st.template, frame, st.withContext);
        for (const [name, alias] of st.names) {
          const v = mod.attrs[name];
          frame.vars.set(alias, v === undefined ? new Undefined(name, `the template does not export the requested name '${name}'`) : v);
        }
        return;
      }
      case 'block': {
        const chain = this.blockChain(st.name, st.body, state);
        if (state.parent) return;
        return this.renderBlock(st.name, chain, 0, frame, out, state);
      }
      case 'extends': {
        const loaded = this.loadTemplates(this.ev.eval(st.template, frame), frame, false);
        if (loaded) state.parent = loaded;
        return;
      }
      case 'do':
        this.ev.eval(st.expr, frame);
        return;
      case 'break':
      case 'continue':
        throw new LoopSignal(st.kind);
    }
  }

  private blockChain(name: string, body: Stmt[], state: RenderState): Stmt[][] {
    let chain = state.blocks.get(name);
    if (!chain) state.blocks.set(name, (chain = []));
    if (!chain.includes(body)) chain.push(body);
    return chain;
  }

  /** Renders one level of a block; `super()` inside it renders the next level. */
  private renderBlock(name: string, chain: Stmt[][], level: number, frame: Frame, out: unknown[], state: RenderState): void {
    const inner = frame.child();
    inner.vars.set(
      'super',
      new PyCallable('super', () => {
        if (level + 1 >= chain.length) throw new UndefinedVariableError('super', `there is no parent block called '${name}'.`);
        const pieces: unknown[] = [];
        this.renderBlock(name, chain, level + 1, frame, pieces, state);
        return textConcat(pieces);
      }),
    );
    this.renderBody(chain[level] as Stmt[], inner, out, state);
  }

  /** `self`: every block of the template as a callable (`self.title()`). */
  private selfReference(body: Stmt[], frame: Frame, state: RenderState): PyObject {
    const attrs: Record<string, unknown> = {};
    const visit = (stmts: Stmt[]): void => {
      for (const st of stmts) {
        if (st.kind === 'block') {
          const own = st;
          attrs[st.name] = new PyCallable(st.name, () => {
            const pieces: unknown[] = [];
            this.renderBlock(own.name, this.blockChain(own.name, own.body, state), 0, frame, pieces, { blocks: state.blocks });
            return textConcat(pieces);
          });
        }
        for (const key of ['body', 'else'] as const) {
          const sub = (st as { [k: string]: unknown })[key];
          if (Array.isArray(sub)) visit(sub as Stmt[]);
        }
        if (st.kind === 'if') for (const [, b] of st.branches) visit(b);
      }
    };
    visit(body);
    return new PyObject('TemplateReference', attrs);
  }

  private applyFilterChain(filter: Expr, input: unknown, frame: Frame): unknown {
    const inner = frame.child();
    inner.vars.set((FILTER_INPUT as { name: string }).name, input);
    return this.ev.eval(filter, inner);
  }

  private loadTemplates(name: unknown, frame: Frame, ignoreMissing: boolean): { body: Stmt[]; path: string } | undefined {
    const names = Array.isArray(name) ? name : [name];
    for (const n of names) {
      const loaded = this.env.loadTemplate(pyStr(n), frame.path);
      if (loaded) return loaded;
    }
    if (ignoreMissing) return undefined;
    throw new TemplateError(Array.isArray(name) ? `tried: ${names.map(pyStr).join(', ')}` : pyStr(name));
  }

  private importModule(template: Expr, frame: Frame, withContext: boolean): PyObject {
    const loaded = this.loadTemplates(this.ev.eval(template, frame), frame, false) as { body: Stmt[]; path: string };
    const modFrame = withContext ? new Frame(frame, loaded.path) : new Frame(undefined, loaded.path);
    this.renderTemplate(loaded.body, modFrame);
    const attrs: Record<string, unknown> = {};
    for (const [k, v] of modFrame.vars) if (!k.startsWith('_') && k !== 'self') attrs[k] = v;
    return new PyObject('TemplateModule', attrs);
  }

  assign(target: Target, value: unknown, frame: Frame): void {
    if (target.kind === 'name') {
      frame.vars.set(target.name, value);
      return;
    }
    if (target.kind === 'nsattr') {
      const ns = this.ev.lookupName(target.name, frame);
      if (!(ns instanceof PyObject) || ns.typeName !== 'Namespace') throw new TemplateError('cannot assign attribute on non-namespace object');
      ns.attrs[target.attr] = value;
      return;
    }
    const items = pyIter(value);
    if (items.length !== target.items.length) {
      throw new PyTypeError(items.length > target.items.length ? `too many values to unpack (expected ${target.items.length})` : `not enough values to unpack (expected ${target.items.length}, got ${items.length})`);
    }
    target.items.forEach((t, i) => this.assign(t, items[i], frame));
  }

  private renderFor(st: Extract<Stmt, { kind: 'for' }>, frame: Frame, out: unknown[], state: RenderState): void {
    const run = (iterable: unknown, depth: number): void => {
      let items = pyIter(iterable);
      if (isLazyMapping(iterable)) items = iterable.keys();
      if (st.filter) {
        const filterExpr = st.filter;
        items = items.filter((item) => {
          const f = frame.child();
          this.assign(st.target, item, f);
          return pyTruthy(this.ev.eval(filterExpr, f));
        });
      }
      if (!items.length) {
        if (st.else) this.renderBody(st.else, frame, out, state);
        return;
      }
      let lastChanged: unknown[] | undefined;
      for (let i = 0; i < items.length; i++) {
        const inner = frame.child();
        const len = items.length;
        const loop = new PyObject('LoopContext', {
          index: i + 1,
          index0: i,
          revindex: len - i,
          revindex0: len - i - 1,
          first: i === 0,
          last: i === len - 1,
          length: len,
          depth: depth,
          depth0: depth - 1,
          previtem: i > 0 ? items[i - 1] : new Undefined('previtem', 'there is no previous item', true),
          nextitem: i < len - 1 ? items[i + 1] : new Undefined('nextitem', 'there is no next item', true),
          cycle: new PyCallable('cycle', (args) => {
            if (!args.length) throw new PyTypeError('no items for cycling given');
            return args[i % args.length];
          }),
          changed: new PyCallable('changed', (args) => {
            const changed = !lastChanged || lastChanged.length !== args.length || !args.every((a, k) => pyEq(a, lastChanged?.[k]));
            lastChanged = args;
            return changed;
          }),
        }, st.recursive ? (args) => {
          const sub: unknown[] = [];
          const saved = out.splice(0);
          run(args[0], depth + 1);
          sub.push(...out.splice(0));
          out.push(...saved);
          return sub.map((x) => this.ev.toText(x)).join('');
        } : undefined);
        inner.vars.set('loop', loop);
        this.assign(st.target, items[i], inner);
        try {
          this.renderBody(st.body, inner, out, state);
        } catch (e) {
          if (e instanceof LoopSignal) {
            if (e.kind === 'break') break;
            continue;
          }
          throw e;
        }
      }
    };
    run(this.ev.eval(st.iter, frame), 1);
  }

  private makeMacro(def: MacroDef, defFrame: Frame, state: RenderState): PyCallable {
    return new PyCallable(def.name, (args, kwargs) => {
      const f = new Frame(defFrame, defFrame.path);
      const rest = { ...kwargs };
      def.params.forEach(([name, dflt], i) => {
        if (i < args.length) f.vars.set(name, args[i]);
        else if (Object.prototype.hasOwnProperty.call(rest, name)) f.vars.set(name, rest[name]);
        else f.vars.set(name, dflt ? this.ev.eval(dflt, f) : new Undefined(name, `parameter '${name}' was not provided`));
        delete rest[name];
      });
      if (Object.prototype.hasOwnProperty.call(rest, 'caller')) {
        f.vars.set('caller', rest.caller);
        delete rest.caller;
      }
      f.vars.set('varargs', makeTuple(args.slice(def.params.length)));
      f.vars.set('kwargs', rest);
      const pieces: unknown[] = [];
      this.renderBody(def.body, f, pieces, { blocks: state.blocks });
      return this.env.concat(pieces);
    });
  }
}

export { getAttr };
