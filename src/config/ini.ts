// INI reading as Python's configparser.ConfigParser(inline_comment_prefixes=(';',)) does it for
// ansible.cfg: sections, "key = value" / "key: value", comments, continuation lines, %(x)s interpolation.
import { TsibleError } from '../errors';

export interface IniFile {
  /** section → lower-cased key → raw value. */
  sections: Map<string, Map<string, string>>;
}

export function parseIni(text: string, fileName = '<string>'): IniFile {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  let lastIndent = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const stripped = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) return;
    const value = stripInlineComment(raw);
    if (lastKey !== undefined && current && indent > lastIndent) {
      // continuation of the previous value
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${value.trim()}`);
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(value.trim());
    if (header && indent === 0) {
      const name = header[1] as string;
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      return;
    }
    if (!current) {
      throw new TsibleError('PARSE', `Error reading config file (${fileName}): File contains no section headers.\nfile: '${fileName}', line: ${index + 1}\n${pyQuote(raw)}`, undefined, 1);
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(value.trim());
    if (!m) {
      throw new TsibleError('PARSE', `Error reading config file (${fileName}): Source contains parsing errors: '${fileName}'\n\t[line ${String(index + 1).padStart(2)}]: ${pyQuote(raw)}`, undefined, 1);
    }
    lastKey = (m[1] as string).trim().toLowerCase();
    lastIndent = indent;
    current.set(lastKey, (m[2] as string).trim());
  });
  // configparser drops trailing empty lines of multi-line values
  for (const section of sections.values()) for (const [k, v] of section) section.set(k, v.replace(/\n+$/, ''));
  return { sections };
}

function pyQuote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}\\n'`;
}

/** ';' starts a comment only after whitespace (or at the start of the line). */
function stripInlineComment(line: string): string {
  const m = /(^|\s);/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

/** BasicInterpolation: "%%" → "%", "%(name)s" → another key of the section (or [DEFAULT]). */
export function iniGet(ini: IniFile, section: string, key: string): string | undefined {
  const lookup = (k: string): string | undefined => ini.sections.get(section)?.get(k) ?? ini.sections.get('DEFAULT')?.get(k);
  const raw = lookup(key.toLowerCase());
  if (raw === undefined) return undefined;
  const expand = (v: string, depth: number): string =>
    v.replace(/%%|%\(([^)]+)\)s/g, (whole, name: string | undefined) => {
      if (whole === '%%') return '%';
      const sub = lookup((name ?? '').toLowerCase());
      if (sub === undefined || depth > 10) return whole;
      return expand(sub, depth + 1);
    });
  return expand(raw, 0);
}
