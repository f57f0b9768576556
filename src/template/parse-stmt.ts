// Jinja2 statements ({% if %}, {% for %}, {% set %}, macros, includes...) on top of the expression parser.
import type { Expr, MacroDef, Stmt, Target } from './ast';
import { FILTER_INPUT } from './ast';
import { tokenize, type LexerOptions, type Token } from './lexer';
import { ExprParser } from './parse-expr';

export class TemplateParser extends ExprParser {
  constructor(tokens: Token[]) {
    super(tokens);
  }

  parseTemplate(): Stmt[] {
    const body = this.subparse([]);
    if (this.current.type !== 'eof') this.fail(`Encountered unknown tag '${this.current.value}'.`);
    return body;
  }

  /** Parses until a block tag whose name is in endTags (left unconsumed after `{%`). */
  /** End tags of the enclosing blocks, innermost last, for "unknown tag" messages. */
  private readonly openBlocks: string[][] = [];

  private subparse(endTags: string[]): Stmt[] {
    this.openBlocks.push(endTags);
    try {
      return this.subparseInner(endTags);
    } finally {
      this.openBlocks.pop();
    }
  }

  private subparseInner(endTags: string[]): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      const t = this.current;
      if (t.type === 'eof') {
        if (endTags.length) this.failUnknownTag(undefined);
        return body;
      }
      if (t.type === 'data') {
        this.next();
        body.push({ kind: 'data', text: t.value, line: t.line });
      } else if (t.type === 'var_begin') {
        this.next();
        const expr = this.parseTuple();
        this.expectType('var_end', 'end of print statement');
        body.push({ kind: 'output', expr, line: t.line });
      } else if (t.type === 'block_begin') {
        const tag = this.peek();
        if (tag.type === 'name' && endTags.includes(tag.value)) {
          this.next();
          return body;
        }
        this.next();
        body.push(this.parseStatement(t.line));
      } else this.fail(`unexpected '${t.value}'`);
    }
  }

  /** Jinja2's message for an unknown tag (or a missing end tag when name is undefined). */
  private failUnknownTag(name: string | undefined): never {
    const open = this.openBlocks.filter((b) => b.length);
    const inner = open[open.length - 1];
    const message = [name === undefined ? 'Unexpected end of template.' : `Encountered unknown tag '${name}'.`];
    if (inner) {
      const looking = inner.map((e) => `'${e}'`).join(' or ');
      if (name !== undefined && open.flat().includes(name)) {
        message.push(`You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${looking}.`);
      } else message.push(`Jinja was looking for the following tags: ${looking}.`);
      message.push(`The innermost block that needs to be closed is '${blockOf(inner)}'.`);
    }
    return this.fail(message.join(' '));
  }

  private endBlock(): void {
    this.expectType('block_end', 'end of statement block');
  }

  private parseStatement(line: number): Stmt {
    const tok = this.current;
    if (tok.type !== 'name') this.fail('tag name expected');
    const name = this.next().value;
    switch (name) {
      case 'if':
        return this.parseIf(line);
      case 'for':
        return this.parseFor(line);
      case 'set':
        return this.parseSet(line);
      case 'macro':
        return this.parseMacro(line);
      case 'call':
        return this.parseCallBlock(line);
      case 'filter': {
        const filter = this.parseFilter(FILTER_INPUT, true);
        this.endBlock();
        const body = this.subparse(['endfilter']);
        this.next();
        this.endBlock();
        return { kind: 'filterblock', filter, body, line };
      }
      case 'with': {
        const assigns: [Target, Expr][] = [];
        while (this.current.type !== 'block_end') {
          if (assigns.length) this.expectOp(',');
          const target = this.parseAssignTarget();
          this.expectOp('=');
          assigns.push([target, this.parseExpression()]);
        }
        this.endBlock();
        const body = this.subparse(['endwith']);
        this.next();
        this.endBlock();
        return { kind: 'with', assigns, body, line };
      }
      case 'include': {
        const template = this.parseExpression();
        let ignoreMissing = false;
        if (this.isName('ignore') && this.isName('missing', this.peek())) {
          this.next();
          this.next();
          ignoreMissing = true;
        }
        const withContext = this.parseContextModifier(true);
        this.endBlock();
        return { kind: 'include', template, ignoreMissing, withContext, line };
      }
      case 'import': {
        const template = this.parseExpression();
        this.expectName('as');
        const target = this.expectName();
        const withContext = this.parseContextModifier(false);
        this.endBlock();
        return { kind: 'import', template, target, withContext, line };
      }
      case 'from': {
        const template = this.parseExpression();
        this.expectName('import');
        const names: [string, string][] = [];
        let withContext = false;
        for (;;) {
          if (names.length && !this.skipOp(',')) break;
          if ((this.isName('with') || this.isName('without')) && this.isName('context', this.peek())) break;
          if (this.current.type !== 'name') break;
          const n = this.expectName();
          names.push([n, this.skipName('as') ? this.expectName() : n]);
        }
        withContext = this.parseContextModifier(false);
        this.endBlock();
        return { kind: 'fromimport', template, names, withContext, line };
      }
      case 'block': {
        const blockName = this.expectName();
        this.skipName('scoped');
        this.endBlock();
        const body = this.subparse(['endblock']);
        this.next();
        if (this.current.type === 'name') this.next();
        this.endBlock();
        return { kind: 'block', name: blockName, body, line };
      }
      case 'extends': {
        const template = this.parseExpression();
        this.endBlock();
        return { kind: 'extends', template, line };
      }
      default:
        return this.failUnknownTag(name);
    }
  }

  private parseContextModifier(dflt: boolean): boolean {
    if ((this.isName('with') || this.isName('without')) && this.isName('context', this.peek())) {
      const w = this.next().value === 'with';
      this.next();
      return w;
    }
    return dflt;
  }

  private parseIf(line: number): Stmt {
    const branches: [Expr, Stmt[]][] = [];
    let elseBody: Stmt[] | undefined;
    let test = this.parseTuple({ withCondexpr: false });
    for (;;) {
      this.endBlock();
      const body = this.subparse(['elif', 'else', 'endif']);
      branches.push([test, body]);
      const tag = this.next().value;
      if (tag === 'elif') {
        test = this.parseTuple({ withCondexpr: false });
        continue;
      }
      if (tag === 'else') {
        this.endBlock();
        elseBody = this.subparse(['endif']);
        this.next();
      }
      this.endBlock();
      return { kind: 'if', branches, else: elseBody, line };
    }
  }

  private parseFor(line: number): Stmt {
    const target = this.parseAssignTarget(false, ['in']);
    this.expectName('in');
    const iter = this.parseTuple({ withCondexpr: false });
    const filter = this.skipName('if') ? this.parseExpression() : undefined;
    const recursive = this.skipName('recursive');
    this.endBlock();
    const body = this.subparse(['endfor', 'else']);
    let elseBody: Stmt[] | undefined;
    if (this.next().value === 'else') {
      this.endBlock();
      elseBody = this.subparse(['endfor']);
      this.next();
    }
    this.endBlock();
    return { kind: 'for', target, iter, filter, body, else: elseBody, recursive, line };
  }

  private parseSet(line: number): Stmt {
    const target = this.parseAssignTarget(true);
    if (this.skipOp('=')) {
      const expr = this.parseTuple();
      this.endBlock();
      return { kind: 'set', target, expr, line };
    }
    const filters: Expr[] = [];
    if (this.skipOp('|')) filters.push(this.parseFilter(FILTER_INPUT, true));
    this.endBlock();
    const body = this.subparse(['endset']);
    this.next();
    this.endBlock();
    return { kind: 'setblock', target, body, filters, line };
  }

  private parseSignature(): [string, Expr | undefined][] {
    const params: [string, Expr | undefined][] = [];
    this.expectOp('(');
    while (!this.isOp(')')) {
      if (params.length) this.expectOp(',');
      const name = this.expectName();
      params.push([name, this.skipOp('=') ? this.parseExpression() : undefined]);
    }
    this.expectOp(')');
    return params;
  }

  private parseMacro(line: number): Stmt {
    const name = this.expectName();
    const params = this.parseSignature();
    this.endBlock();
    const body = this.subparse(['endmacro']);
    this.next();
    this.endBlock();
    return { kind: 'macro', macro: { name, params, body }, line };
  }

  private parseCallBlock(line: number): Stmt {
    const params = this.isOp('(') ? this.parseSignature() : [];
    const call = this.parseExpression();
    if (call.kind !== 'call') this.fail('expected call');
    this.endBlock();
    const body = this.subparse(['endcall']);
    this.next();
    this.endBlock();
    const macro: MacroDef = { name: 'caller', params, body };
    return { kind: 'callblock', call, macro, line };
  }
}

function blockOf(endTags: string[]): string {
  const last = endTags[endTags.length - 1] ?? '';
  return last.startsWith('end') ? last.slice(3) : last;
}

export function parseTemplate(source: string, opts?: LexerOptions): Stmt[] {
  return new TemplateParser(tokenize(source, opts)).parseTemplate();
}
