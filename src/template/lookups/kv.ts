// Parses lookup terms of the form "free words key=value key='quoted value'" (Ansible's parse_kv).
export interface ParsedTerm {
  free: string;
  params: Record<string, string>;
}

/** Splits on unquoted whitespace, keeping quotes balanced (shlex-like, quotes kept off values). */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && s[i + 1] === quote) {
        cur += quote;
        i++;
      } else if (c === quote) quote = null;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (cur || has) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (cur || has) out.push(cur);
  return out;
}

export function parseKv(term: string, known?: string[]): ParsedTerm {
  const free: string[] = [];
  const params: Record<string, string> = {};
  for (const part of splitArgs(term)) {
    const m = /^([A-Za-z_][\w]*)=(.*)$/s.exec(part);
    if (m && (!known || known.includes(m[1]!))) params[m[1]!] = m[2]!;
    else free.push(part);
  }
  return { free: free.join(' '), params };
}
