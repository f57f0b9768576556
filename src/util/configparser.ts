// INI files read as Python's configparser.ConfigParser() reads them with its defaults (strict,
// '#'/';' full-line comments only, '='/':' delimiters, indented continuation lines, [DEFAULT],
// BasicInterpolation), plus its allow_no_value and case-sensitive (optionxform) variants.

export interface ConfigParserOptions {
  allowNoValue?: boolean;
  /** Keep option names as written (optionxform = str); default lower-cases them. */
  caseSensitive?: boolean;
}

/** One option's value, or null for a key without a value (allow_no_value). */
type OptionValue = string | null;

/** configparser's exceptions; `name` is the Python class (lookups report it). */
export class ConfigParserError extends Error {
  constructor(pyClass: string, message: string) {
    super(message);
    this.name = `configparser.${pyClass}`;
  }
}

const DEFAULT_SECTION = 'DEFAULT';

/** Python's repr() of a str. */
function pyRepr(s: string): string {
  const esc = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return esc.includes("'") && !esc.includes('"') ? `"${esc}"` : `'${esc.replace(/'/g, "\\'")}'`;
}

export class ConfigParser {
  private readonly defaults = new Map<string, OptionValue>();
  private readonly sections = new Map<string, Map<string, OptionValue>>();

  constructor(private readonly options: ConfigParserOptions = {}) {}

  optionxform(name: string): string {
    return this.options.caseSensitive ? name : name.toLowerCase();
  }

  /** Reads a source as read_file() does; `source` names it in errors ('<???>' for a stream). */
  read(text: string, source = '<???>'): void {
    const added = new Set<string>();
    const parsingErrors: string[] = [];
    let cursect: Map<string, OptionValue> | undefined;
    let sectname = '';
    let optname: string | undefined;
    let indentLevel = 0;
    /** Lines of each multi-line value, joined at the end. */
    const pending = new Map<Map<string, OptionValue>, Map<string, string[]>>();
    const lines = text.split(/\r\n|\n|\r/);
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, index) => {
      const lineno = index + 1;
      const stripped = line.trim();
      if (stripped.startsWith('#') || stripped.startsWith(';')) return;
      if (stripped === '') {
        // empty lines inside a value are kept (empty_lines_in_values) and trimmed at the end
        if (cursect && optname !== undefined) pending.get(cursect)?.get(optname)?.push('');
        return;
      }
      const curIndent = line.length - line.trimStart().length;
      if (cursect && optname !== undefined && curIndent > indentLevel) {
        pending.get(cursect)?.get(optname)?.push(stripped);
        return;
      }
      indentLevel = curIndent;
      const header = /^\[(.+)\]/.exec(stripped);
      if (header) {
        sectname = header[1]!;
        if (this.sections.has(sectname)) {
          if (added.has(`[${sectname}]`)) {
            throw new ConfigParserError('DuplicateSectionError', `While reading from ${pyRepr(source)} [line ${String(lineno).padStart(2)}]: section ${pyRepr(sectname)} already exists`);
          }
          cursect = this.sections.get(sectname);
        } else if (sectname === DEFAULT_SECTION) cursect = this.defaults;
        else {
          cursect = new Map();
          this.sections.set(sectname, cursect);
        }
        added.add(`[${sectname}]`);
        optname = undefined;
        return;
      }
      if (!cursect) {
        throw new ConfigParserError('MissingSectionHeaderError', `File contains no section headers.\nfile: ${pyRepr(source)}, line: ${lineno}\n${pyRepr(line + '\n')}`);
      }
      const m = this.options.allowNoValue ? /^(.*?)\s*(?:([=:])\s*(.*))?$/.exec(stripped) : /^(.*?)\s*([=:])\s*(.*)$/.exec(stripped);
      const name = m ? this.optionxform(m[1]!.trimEnd()) : '';
      if (!m || !name) {
        parsingErrors.push(`\t[line ${String(lineno).padStart(2)}]: ${pyRepr(line + '\n')}`);
        optname = undefined;
        return;
      }
      if (added.has(`${sectname}\u0000${name}`)) {
        throw new ConfigParserError('DuplicateOptionError', `While reading from ${pyRepr(source)} [line ${String(lineno).padStart(2)}]: option ${pyRepr(name)} in section ${pyRepr(sectname)} already exists`);
      }
      added.add(`${sectname}\u0000${name}`);
      optname = name;
      let values = pending.get(cursect);
      if (!values) pending.set(cursect, (values = new Map()));
      if (m[2] === undefined) {
        cursect.set(name, null);
        values.delete(name);
      } else {
        cursect.set(name, '');
        values.set(name, [m[3]!.trim()]);
      }
    });
    for (const [section, values] of pending) for (const [k, parts] of values) section.set(k, parts.join('\n').trimEnd());
    if (parsingErrors.length) throw new ConfigParserError('ParsingError', `Source contains parsing errors: ${pyRepr(source)}\n${parsingErrors.join('\n')}`);
  }

  sectionNames(): string[] {
    return [...this.sections.keys()];
  }

  hasSection(name: string): boolean {
    return this.sections.has(name);
  }

  /** get(section, option): undefined when the option is missing; throws for a missing section. */
  get(section: string, option: string): OptionValue | undefined {
    const sect = this.section(section);
    const key = this.optionxform(option);
    const raw = sect.has(key) ? sect.get(key) : this.defaults.get(key);
    if (raw === undefined || raw === null) return raw;
    return this.interpolate(section, key, raw, 1);
  }

  /** items(section): [DEFAULT]'s options then the section's, interpolated. */
  items(section: string): [string, OptionValue][] {
    const sect = this.section(section);
    const merged = new Map([...this.defaults, ...sect]);
    return [...merged].map(([k, v]) => [k, v === null ? null : this.interpolate(section, k, v, 1)]);
  }

  private section(name: string): Map<string, OptionValue> {
    if (name === DEFAULT_SECTION) return this.defaults;
    const sect = this.sections.get(name);
    if (!sect) throw new ConfigParserError('NoSectionError', `No section: ${pyRepr(name)}`);
    return sect;
  }

  /** BasicInterpolation: %% and %(name)s, at most 10 levels deep. */
  private interpolate(section: string, option: string, value: string, depth: number): string {
    if (depth > 10) throw new ConfigParserError('InterpolationDepthError', `Recursion limit exceeded in value substitution: option ${pyRepr(option)} in section ${pyRepr(section)} contains an interpolation key which cannot be substituted in 10 steps. Raw value: ${pyRepr(value)}`);
    let out = '';
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (c !== '%') {
        out += c;
        continue;
      }
      const next = value[i + 1];
      if (next === '%') {
        out += '%';
        i++;
        continue;
      }
      const m = next === '(' ? /^\(([^)]+)\)s/.exec(value.slice(i + 1)) : null;
      if (!m) throw new ConfigParserError('InterpolationSyntaxError', `'%' must be followed by '%' or '(', found: ${pyRepr(value.slice(i))}`);
      const ref = this.optionxform(m[1]!);
      const sect = section === DEFAULT_SECTION ? this.defaults : this.sections.get(section);
      const sub = sect?.has(ref) ? sect.get(ref) : this.defaults.get(ref);
      if (sub === undefined) throw new ConfigParserError('InterpolationMissingOptionError', `Bad value substitution: option ${pyRepr(option)} in section ${pyRepr(section)} contains an interpolation key ${pyRepr(ref)} which is not a valid option name. Raw value: ${pyRepr(value)}`);
      out += sub === null ? '' : this.interpolate(section, ref, sub, depth + 1);
      i += m[0].length;
    }
    return out;
  }
}
