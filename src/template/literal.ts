// Python ast.literal_eval (with JSON's true/false/null accepted), used by Ansible to turn
// rendered text that looks like a list, dict or bool back into data.
import { decodeEscapes } from './lexer';
import { PyFloat, makeTuple } from './pyvalues';

class LiteralSyntaxError extends Error {}

const NAMES: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, null: null };

class LiteralParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parseAll(): unknown {
    const v = this.value();
    this.ws();
    if (this.pos < this.src.length) throw new LiteralSyntaxError('trailing data');
    return v;
  }

  private ws(): void {
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f') this.pos++;
      else if (ch === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2;
      else if (ch === '#') while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      else break;
    }
  }

  private value(): unknown {
    this.ws();
    const ch = this.src[this.pos];
    if (ch === undefined) throw new LiteralSyntaxError('unexpected end');
    if (ch === '[') return this.sequence('[', ']');
    if (ch === '(') {
      const items = this.sequence('(', ')', true);
      return items;
    }
    if (ch === '{') return this.dict();
    if (ch === '-' || ch === '+') {
      this.pos++;
      const v = this.value();
      if (typeof v === 'number') return ch === '-' ? -v : v;
      if (v instanceof PyFloat) return new PyFloat(ch === '-' ? -v.value : v.value);
      throw new LiteralSyntaxError('bad unary');
    }
    if (/[0-9.]/.test(ch)) return this.number();
    if (/[a-zA-Z_]/.test(ch) && !this.stringPrefix()) {
      const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(this.src.slice(this.pos));
      const name = m ? m[0] : '';
      if (!(name in NAMES)) throw new LiteralSyntaxError(`malformed node: ${name}`);
      this.pos += name.length;
      return NAMES[name];
    }
    return this.strings();
  }

  private stringPrefix(): boolean {
    return /^[rRuUbBfF]{1,2}['"]/.test(this.src.slice(this.pos, this.pos + 3));
  }

  private strings(): string {
    let out = '';
    let any = false;
    for (;;) {
      this.ws();
      const m = /^([rRuU]?)('''|"""|'|")/.exec(this.src.slice(this.pos));
      if (!m) break;
      const raw = m[1]?.toLowerCase() === 'r';
      const quote = m[2] as string;
      let i = this.pos + m[0].length;
      const start = i;
      while (i < this.src.length && !this.src.startsWith(quote, i)) {
        if (this.src[i] === '\\') i++;
        else if (quote.length === 1 && this.src[i] === '\n') throw new LiteralSyntaxError('EOL in string');
        i++;
      }
      if (i >= this.src.length) throw new LiteralSyntaxError('unterminated string');
      const body = this.src.slice(start, i);
      out += raw ? body : decodeEscapes(body);
      this.pos = i + quote.length;
      any = true;
    }
    if (!any) throw new LiteralSyntaxError('expected value');
    return out;
  }

  private number(): number | PyFloat {
    const rest = this.src.slice(this.pos);
    const hex = /^0[xX][0-9a-fA-F_]+|^0[oO][0-7_]+|^0[bB][01_]+/.exec(rest);
    if (hex) {
      this.pos += hex[0].length;
      return Number(hex[0].replace(/_/g, ''));
    }
    const m = /^(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?[jJ]?/.exec(rest);
    if (!m) throw new LiteralSyntaxError('bad number');
    if (m[0].endsWith('j') || m[0].endsWith('J')) throw new LiteralSyntaxError('complex unsupported');
    this.pos += m[0].length;
    const text = m[0].replace(/_/g, '');
    const n = Number(text);
    if (/[.eE]/.test(text)) return Number.isInteger(n) ? new PyFloat(n) : n;
    if (/^0\d/.test(text)) throw new LiteralSyntaxError('leading zeros');
    return n;
  }

  private sequence(open: string, close: string, tuple = false): unknown[] {
    this.pos++;
    const items: unknown[] = [];
    let sawComma = false;
    for (;;) {
      this.ws();
      if (this.src[this.pos] === close) {
        this.pos++;
        break;
      }
      if (items.length) {
        if (this.src[this.pos] !== ',') throw new LiteralSyntaxError('expected ,');
        this.pos++;
        sawComma = true;
        this.ws();
        if (this.src[this.pos] === close) {
          this.pos++;
          break;
        }
      }
      items.push(this.value());
    }
    if (tuple && items.length === 1 && !sawComma) return items[0] as unknown[];
    return tuple ? makeTuple(items) : items;
  }

  private dict(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    let first = true;
    for (;;) {
      this.ws();
      if (this.src[this.pos] === '}') {
        this.pos++;
        return out;
      }
      if (!first) {
        if (this.src[this.pos] !== ',') throw new LiteralSyntaxError('expected ,');
        this.pos++;
        this.ws();
        if (this.src[this.pos] === '}') {
          this.pos++;
          return out;
        }
      }
      first = false;
      const key = this.value();
      this.ws();
      if (this.src[this.pos] !== ':') throw new LiteralSyntaxError('expected :');
      this.pos++;
      const v = this.value();
      if (Array.isArray(key) || (typeof key === 'object' && key !== null && !(key instanceof PyFloat))) throw new LiteralSyntaxError('unhashable');
      out[typeof key === 'string' ? key : key instanceof PyFloat ? String(key.value) : key === true ? 'True' : key === false ? 'False' : key === null ? 'None' : String(key)] = v;
    }
  }
}

/** Result of ast.literal_eval, or `fail` when the text is not a Python literal. */
export function literalEval(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: new LiteralParser(text).parseAll() };
  } catch (e) {
    if (e instanceof LiteralSyntaxError) return { ok: false };
    throw e;
  }
}
