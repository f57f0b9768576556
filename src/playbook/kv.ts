// Ansible's "k=v" argument strings: split_args (quotes and Jinja blocks stay whole)
// and parse_kv (free-form text of command-like modules goes to _raw_params).

function scanArgs(text: string): { tokens: string[]; balanced: boolean } {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let depth = 0;
  let continuation = false;
  // split_args splits on single spaces: a run of n spaces between tokens comes back as n
  // (the joining space plus one per empty token), one more when the run ends a line
  const extraSpace = () => {
    if (out.length) out[out.length - 1] += ' ';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const two = text.slice(i, i + 2);
    if (quote) {
      cur += c;
      if (c === '\\' && i + 1 < text.length) {
        cur += text[i + 1];
        i++;
      } else if (c === quote) quote = null;
      continue;
    }
    if (two === '{{' || two === '{%' || two === '{#') {
      depth++;
      cur += two;
      i++;
      continue;
    }
    if (depth > 0 && (two === '}}' || two === '%}' || two === '#}')) {
      depth--;
      cur += two;
      i++;
      continue;
    }
    if (depth === 0 && (c === '"' || c === "'")) {
      quote = c;
      cur += c;
      continue;
    }
    if (depth === 0 && c === '\n') {
      // Ansible keeps line breaks: they stay at the end of the line's last token, unless the
      // line had a lone backslash (a line continuation: dropped, and the lines joined)
      if (cur === '\\') continuation = true;
      else if (cur !== '') out.push(cur);
      else if (text[i - 1] === ' ') extraSpace();
      cur = '';
      if (out.length && !continuation) out[out.length - 1] += '\n';
      continuation = false;
      continue;
    }
    if (depth === 0 && /\s/.test(c)) {
      if (cur === '\\') continuation = true;
      else if (cur !== '') out.push(cur);
      else if (c === ' ' && text[i - 1] === ' ') extraSpace();
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur !== '') out.push(cur);
  else if (text.endsWith(' ')) extraSpace();
  return { tokens: out, balanced: quote === null && depth === 0 };
}

/** Splits on whitespace, keeping quoted strings and {{ }}, {% %}, {# #} blocks together. */
export function splitArgs(text: string): string[] {
  return scanArgs(text).tokens;
}

/** False when a quote or a Jinja block is left open (Ansible refuses such k=v strings). */
export function argsBalanced(text: string): boolean {
  return scanArgs(text).balanced;
}

/** Removes one pair of matching surrounding quotes. */
export function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] && s[s.length - 2] !== '\\') {
    return s.slice(1, -1);
  }
  return s;
}

/** Keys command-like modules accept inside their free-form line. */
const RAW_PARAM_KEYS = new Set([
  'creates',
  'removes',
  'chdir',
  'executable',
  'warn',
  'stdin',
  'stdin_add_newline',
  'strip_empty_ends',
]);

/** parse_kv's split point: the first '=' after the first character that no backslash escapes
 *  (quotes and Jinja blocks are not looked at, as in Ansible). */
function findEquals(token: string): number {
  for (let i = 1; i < token.length; i++) if (token[i] === '=' && token[i - 1] !== '\\') return i;
  return -1;
}

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The backslash sequences parse_kv decodes in k=v tokens (hex, unicode and one-character escapes;
 *  not octal, so a regex back-reference such as \\1 stays as written). */
export function decodeEscapes(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\'"abfnrtv])/g, (_m, seq: string) => {
    const c = seq[0] as string;
    if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(parseInt(seq.slice(1), 16));
    return ESCAPES[c] ?? seq;
  });
}

/** parse_kv: "a=1 b='x y' rest" → {a: '1', b: 'x y', _raw_params: 'rest'} (raw only when checkRaw). */
export function parseKv(text: string, checkRaw = false): Record<string, string> {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const original of splitArgs(text)) {
    const token = decodeEscapes(original);
    const eq = findEquals(token);
    if (eq > 0) {
      const key = token.slice(0, eq).trim();
      const value = token.slice(eq + 1);
      if (checkRaw && !RAW_PARAM_KEYS.has(key)) {
        raw.push(original);
        continue;
      }
      options[key] = unquote(value.trim()).replace(/\\=/g, '=');
      continue;
    }
    raw.push(original);
  }
  // join_args: no space after a token that ends a line
  if (raw.length) options._raw_params = raw.reduce((acc, p) => (acc === '' || acc.endsWith('\n') ? acc + p : `${acc} ${p}`), '');
  return options;
}
