// Jinja2 expression grammar over the lexer's tokens (precedence as in jinja2/parser.py).
import { TemplateError } from '../errors';
import type { Expr, Target } from './ast';
import type { Token } from './lexer';
import { PyFloat } from './pyvalues';

const COMPARE_OPS: Record<string, string> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lteq', '>': 'gt', '>=': 'gteq' };

function describe(tok: Token): string {
  switch (tok.type) {
    case 'var_end':
      return 'end of print statement';
    case 'block_end':
      return 'end of statement block';
    case 'eof':
      return 'end of template';
    case 'string':
    case 'integer':
    case 'float':
      return tok.type;
    default:
      return tok.value;
  }
}

/** Token cursor plus the expression half of the parser; statements extend it. */
export class ExprParser {
  protected pos = 0;
  constructor(protected readonly tokens: Token[]) {}

  get current(): Token {
    return this.tokens[this.pos] ?? (this.tokens[this.tokens.length - 1] as Token);
  }
  peek(n = 1): Token {
    return this.tokens[this.pos + n] ?? (this.tokens[this.tokens.length - 1] as Token);
  }
  next(): Token {
    const t = this.current;
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  isOp(value: string, tok = this.current): boolean {
    return tok.type === 'operator' && tok.value === value;
  }
  isName(value: string, tok = this.current): boolean {
    return tok.type === 'name' && tok.value === value;
  }
  skipOp(value: string): boolean {
    if (!this.isOp(value)) return false;
    this.next();
    return true;
  }
  skipName(value: string): boolean {
    if (!this.isName(value)) return false;
    this.next();
    return true;
  }
  fail(msg: string, tok = this.current): never {
    const err = new TemplateError(msg);
    (err as { templateLine?: number }).templateLine = tok.line;
    throw err;
  }
  expectOp(value: string): Token {
    if (!this.isOp(value)) this.fail(`expected token '${value}', got '${describe(this.current)}'`);
    return this.next();
  }
  expectName(value?: string): string {
    const tok = this.current;
    if (tok.type !== 'name' || (value !== undefined && tok.value !== value)) {
      this.fail(`expected token '${value ?? 'name'}', got '${describe(tok)}'`);
    }
    return this.next().value;
  }
  expectType(type: Token['type'], what: string): Token {
    if (this.current.type !== type) this.fail(`expected token '${what}', got '${describe(this.current)}'`);
    return this.next();
  }

  /** Top level of `{{ }}`: a tuple when there are commas. */
  parseTuple(opts: { simplified?: boolean; withCondexpr?: boolean; explicitParens?: boolean } = {}): Expr {
    const parseOne = (): Expr => (opts.simplified ? this.parsePrimary() : opts.withCondexpr === false ? this.parseOr() : this.parseExpression());
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length) this.expectOp(',');
      if (this.isTupleEnd()) break;
      items.push(parseOne());
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (items[0]) return items[0];
      if (!opts.explicitParens) this.fail(`Expected an expression, got '${describe(this.current)}'`);
    }
    return { kind: 'tuple', items };
  }

  private isTupleEnd(): boolean {
    const t = this.current;
    if (t.type === 'var_end' || t.type === 'block_end' || t.type === 'eof') return true;
    if (t.type === 'operator' && (t.value === ')' || t.value === ']' || t.value === '}' || t.value === '=')) return true;
    return t.type === 'name' && t.value === 'in';
  }

  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): Expr {
    let expr = this.parseOr();
    while (this.skipName('if')) {
      const test = this.parseOr();
      const otherwise = this.skipName('else') ? this.parseCondexpr() : undefined;
      expr = { kind: 'cond', test, then: expr, else: otherwise };
    }
    return expr;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.skipName('or')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.skipName('and')) left = { kind: 'and', left, right: this.parseNot() };
    return left;
  }

  private parseNot(): Expr {
    if (this.skipName('not')) return { kind: 'unary', op: 'not', operand: this.parseNot() };
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const first = this.parseMath1();
    const ops: [string, Expr][] = [];
    for (;;) {
      const t = this.current;
      if (t.type === 'operator' && t.value in COMPARE_OPS) {
        this.next();
        ops.push([COMPARE_OPS[t.value] as string, this.parseMath1()]);
      } else if (this.skipName('in')) ops.push(['in', this.parseMath1()]);
      else if (this.isName('not') && this.isName('in', this.peek())) {
        this.next();
        this.next();
        ops.push(['notin', this.parseMath1()]);
      } else break;
    }
    return ops.length ? { kind: 'compare', first, ops } : first;
  }

  private parseMath1(): Expr {
    let left = this.parseConcat();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value;
      left = { kind: 'binop', op, left, right: this.parseConcat() };
    }
    return left;
  }

  private parseConcat(): Expr {
    const items = [this.parseMath2()];
    while (this.skipOp('~')) items.push(this.parseMath2());
    return items.length === 1 ? (items[0] as Expr) : { kind: 'concat', items };
  }

  private parseMath2(): Expr {
    let left = this.parsePow();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.next().value;
      left = { kind: 'binop', op, left, right: this.parsePow() };
    }
    return left;
  }

  private parsePow(): Expr {
    let left = this.parseUnary();
    while (this.skipOp('**')) left = { kind: 'binop', op: '**', left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(withFilter = true): Expr {
    let node: Expr;
    if (this.skipOp('-')) node = { kind: 'unary', op: '-', operand: this.parseUnary(false) };
    else if (this.skipOp('+')) node = { kind: 'unary', op: '+', operand: this.parseUnary(false) };
    else node = this.parsePrimary();
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  parsePrimary(): Expr {
    const t = this.current;
    if (t.type === 'name') {
      this.next();
      if (t.value === 'true' || t.value === 'True') return { kind: 'const', value: true };
      if (t.value === 'false' || t.value === 'False') return { kind: 'const', value: false };
      if (t.value === 'none' || t.value === 'None') return { kind: 'const', value: null };
      return { kind: 'name', name: t.value };
    }
    if (t.type === 'string') {
      let s = '';
      while (this.current.type === 'string') s += this.next().literal as string;
      return { kind: 'const', value: s };
    }
    if (t.type === 'integer') {
      this.next();
      return { kind: 'const', value: t.literal };
    }
    if (t.type === 'float') {
      this.next();
      const n = t.literal as number;
      return { kind: 'const', value: Number.isInteger(n) ? new PyFloat(n) : n };
    }
    if (this.skipOp('(')) {
      const inner = this.parseTuple({ explicitParens: true });
      this.expectOp(')');
      return inner;
    }
    if (this.skipOp('[')) {
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        if (items.length) this.expectOp(',');
        if (this.isOp(']')) break;
        items.push(this.parseExpression());
      }
      this.expectOp(']');
      return { kind: 'list', items };
    }
    if (this.skipOp('{')) {
      const pairs: [Expr, Expr][] = [];
      while (!this.isOp('}')) {
        if (pairs.length) this.expectOp(',');
        if (this.isOp('}')) break;
        const key = this.parseExpression();
        this.expectOp(':');
        pairs.push([key, this.parseExpression()]);
      }
      this.expectOp('}');
      return { kind: 'dict', pairs };
    }
    return this.fail(`unexpected '${describe(t)}'`);
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) node = this.parseFilter(node);
      else if (this.isName('is')) node = this.parseTest(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const t = this.next();
    if (t.value === '.') {
      const attr = this.current;
      this.next();
      if (attr.type === 'name') return { kind: 'getattr', obj: node, attr: attr.value };
      if (attr.type === 'integer') return { kind: 'getitem', obj: node, key: { kind: 'const', value: attr.literal } };
      return this.fail(`expected name or number`, attr);
    }
    const args: Expr[] = [];
    while (!this.isOp(']')) {
      if (args.length) this.expectOp(',');
      args.push(this.parseSubscribed());
    }
    this.expectOp(']');
    const key: Expr = args.length === 1 ? (args[0] as Expr) : { kind: 'tuple', items: args };
    return { kind: 'getitem', obj: node, key };
  }

  private parseSubscribed(): Expr {
    const parts: (Expr | undefined)[] = [];
    if (this.isOp(':')) {
      this.next();
      parts.push(undefined);
    } else {
      const e = this.parseExpression();
      if (!this.isOp(':')) return e;
      this.next();
      parts.push(e);
    }
    parts.push(this.isOp(':') || this.isOp(']') || this.isOp(',') ? undefined : this.parseExpression());
    if (this.skipOp(':')) parts.push(this.isOp(']') || this.isOp(',') ? undefined : this.parseExpression());
    return { kind: 'slice', start: parts[0], stop: parts[1], step: parts[2] };
  }

  /** Arguments of a call, filter or test: (a, b, k=v, *args, **kwargs). */
  parseArgs(): { args: Expr[]; kwargs: [string, Expr][]; dynArgs?: Expr; dynKwargs?: Expr } {
    this.expectOp('(');
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    let dynArgs: Expr | undefined;
    let dynKwargs: Expr | undefined;
    let first = true;
    while (!this.isOp(')')) {
      if (!first) {
        this.expectOp(',');
        if (this.isOp(')')) break;
      }
      first = false;
      if (this.skipOp('*')) dynArgs = this.parseExpression();
      else if (this.skipOp('**')) dynKwargs = this.parseExpression();
      else if (this.current.type === 'name' && this.isOp('=', this.peek())) {
        const key = this.next().value;
        this.next();
        kwargs.push([key, this.parseExpression()]);
      } else {
        if (kwargs.length) this.fail('invalid syntax for function call expression');
        args.push(this.parseExpression());
      }
    }
    this.expectOp(')');
    return { args, kwargs, dynArgs, dynKwargs };
  }

  private parseCall(node: Expr): Expr {
    const a = this.parseArgs();
    return { kind: 'call', fn: node, ...a };
  }

  private dottedName(): string {
    let name = this.expectName();
    while (this.isOp('.') && this.peek().type === 'name') {
      this.next();
      name += '.' + this.next().value;
    }
    return name;
  }

  parseFilter(node: Expr | undefined, startInline = false): Expr {
    if (!startInline) this.expectOp('|');
    let out = node;
    for (;;) {
      const name = this.dottedName();
      const a = this.isOp('(') ? this.parseArgs() : { args: [], kwargs: [] };
      out = { kind: 'filter', name, value: out, args: a.args, kwargs: a.kwargs };
      if (!this.skipOp('|')) break;
    }
    return out as Expr;
  }

  private parseTest(node: Expr): Expr {
    this.next(); // 'is'
    const negated = this.skipName('not');
    const name = this.dottedName();
    let args: Expr[] = [];
    let kwargs: [string, Expr][] = [];
    const t = this.current;
    if (this.isOp('(')) ({ args, kwargs } = this.parseArgs());
    else if (
      (['name', 'string', 'integer', 'float'].includes(t.type) || this.isOp('[') || this.isOp('{')) &&
      !(t.type === 'name' && ['else', 'or', 'and'].includes(t.value))
    ) {
      if (this.isName('is')) this.fail('You cannot chain multiple tests with is');
      args = [this.parsePostfix(this.parsePrimary())];
    }
    const test: Expr = { kind: 'test', name, value: node, args, kwargs };
    return negated ? { kind: 'unary', op: 'not', operand: test } : test;
  }

  /** Assignment target of for/set/with: names, tuples of names, ns.attr. */
  parseAssignTarget(withNamespace = false, extraEndRules: string[] = []): Target {
    if (withNamespace && this.current.type === 'name' && this.isOp('.', this.peek())) {
      const name = this.next().value;
      this.next();
      return { kind: 'nsattr', name, attr: this.expectName() };
    }
    const items: Target[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length) this.expectOp(',');
      if (this.current.type !== 'name' && !this.isOp('(')) break;
      if (this.current.type === 'name' && extraEndRules.includes(this.current.value)) break;
      if (this.skipOp('(')) {
        items.push(this.parseAssignTarget(false));
        this.expectOp(')');
      } else items.push({ kind: 'name', name: this.expectName() });
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (!items.length) this.fail(`expected token 'name', got '${describe(this.current)}'`);
    return isTuple ? { kind: 'tuple', items } : (items[0] as Target);
  }
}
