// Python %-formatting of one integer ("%d", "%02x", "host%03d.example") for the sequence lookup.
import { TemplateError } from '../../errors';

export function pyFormat(format: string, value: number): string {
  let used = false;
  const out = format.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([diouxXeEfFgGcrs%])/g, (_m, flags: string, width: string, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    used = true;
    let body: string;
    const neg = value < 0;
    const abs = Math.abs(value);
    switch (conv) {
      case 'd': case 'i': case 'u': body = String(abs); break;
      case 'o': body = (flags.includes('#') ? '0o' : '') + abs.toString(8); break;
      case 'x': body = (flags.includes('#') ? '0x' : '') + abs.toString(16); break;
      case 'X': body = (flags.includes('#') ? '0X' : '') + abs.toString(16).toUpperCase(); break;
      case 'f': case 'F': body = abs.toFixed(prec === undefined ? 6 : Number(prec)); break;
      case 'e': case 'E': body = abs.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2'); break;
      case 'c': body = String.fromCharCode(abs); break;
      default: body = String(abs);
    }
    if (conv === 'E') body = body.toUpperCase();
    const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const w = width ? Number(width) : 0;
    if (flags.includes('-')) return (sign + body).padEnd(w);
    if (flags.includes('0') && !'sc'.includes(conv)) return sign + body.padStart(w - sign.length, '0');
    return (sign + body).padStart(w);
  });
  if (!used) throw new TemplateError(`bad formatting string: ${format}`);
  return out;
}
