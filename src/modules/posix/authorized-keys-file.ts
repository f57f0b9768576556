// The authorized_keys format as ansible.posix.authorized_key reads and writes it: keys keyed
// by their base64 blob, options kept in order, comment and unparseable lines kept verbatim.

/** Key types the real module recognises; a line without one is kept as it is. */
const KEY_TYPES = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'ssh-dss', 'ssh-rsa', 'ssh-xmss@openssh.com', 'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

/** Options in written order; a flag option has value null. The same name may repeat. */
export type KeyOptions = [string, string | null][];

export interface KeyEntry {
  /** The key blob, or the whole raw line for kept-verbatim lines. */
  id: string;
  /** 'skipped' for comment and unparseable lines. */
  type: string;
  options: KeyOptions;
  comment: string;
  rank: number;
}

/** Splits "a,b=\"x,y\",c" into options, commas inside quotes kept. */
export function parseKeyOptions(text: string | null): KeyOptions {
  const out: KeyOptions = [];
  if (!text) return out;
  // split() with a capture group alternates gaps and matches; drop the outer gaps
  const parts = text.split(/((?:[^,"']|"[^"]*"|'[^']*')+)/).slice(1, -1);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq >= 0) out.push([part.slice(0, eq), part.slice(eq + 1)]);
    else if (part !== ',') out.push([part, null]);
  }
  return out;
}

/** Parses one line; null when it holds no known key type (or no blob after it). */
export function parseKeyLine(raw: string, rank: number): KeyEntry | null {
  const line = raw.split('\\#').join('#');
  const words = line.split(/[ \t\r\n]+/).filter(Boolean);
  if (words[0] === '#') return { id: line, type: 'skipped', options: [], comment: '', rank };
  const typeIndex = words.findIndex((w) => KEY_TYPES.has(w));
  if (typeIndex < 0) return null;
  const blob = words[typeIndex + 1];
  if (blob === undefined) return null;
  return {
    id: blob,
    type: words[typeIndex] as string,
    options: parseKeyOptions(typeIndex > 0 ? words.slice(0, typeIndex).join(' ') : null),
    comment: words.slice(typeIndex + 2).join(' '),
    rank,
  };
}

/** Python's str.splitlines(keepends=True). */
export function splitLinesKeep(text: string): string[] {
  return text.match(/[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|$)/g)?.filter((l) => l !== '') ?? [];
}

/** The existing file as an ordered map; a blob seen twice keeps its first place and last line. */
export function parseKeysFile(text: string): Map<string, KeyEntry> {
  const keys = new Map<string, KeyEntry>();
  splitLinesKeep(text).forEach((line, rank) => {
    const entry = parseKeyLine(line, rank) ?? { id: line, type: 'skipped', options: [], comment: '', rank };
    keys.set(entry.id, entry);
  });
  return keys;
}

/** Options compare as the real module's dict of name -> values (order of names ignored). */
export function sameOptions(a: KeyOptions, b: KeyOptions): boolean {
  const group = (o: KeyOptions): Map<string, (string | null)[]> => {
    const m = new Map<string, (string | null)[]>();
    for (const [k, v] of o) m.set(k, [...(m.get(k) ?? []), v]);
    return m;
  };
  const ga = group(a);
  const gb = group(b);
  if (ga.size !== gb.size) return false;
  for (const [k, v] of ga) if (JSON.stringify(gb.get(k)) !== JSON.stringify(v)) return false;
  return true;
}

export function sameKey(a: KeyEntry, b: KeyEntry): boolean {
  return a.id === b.id && a.type === b.type && a.comment === b.comment && sameOptions(a.options, b.options);
}

/** Writes entries sorted by rank; a key line always ends "type blob comment" (a trailing space when no comment). */
export function serializeKeys(keys: Map<string, KeyEntry>): string {
  const entries = [...keys.values()].map((e, i) => ({ e, i })).sort((x, y) => x.e.rank - y.e.rank || x.i - y.i);
  return entries
    .map(({ e }) => {
      if (e.type === 'skipped') return e.id;
      const opts = e.options.length ? e.options.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(',') + ' ' : '';
      return `${opts}${e.type} ${e.id} ${e.comment}\n`;
    })
    .join('');
}

export interface KeysPlan {
  changed: boolean;
  content: string;
  /** The first new key that did not parse (the module fails on it). */
  invalid?: string;
}

export interface KeysRequest {
  keys: string;
  present: boolean;
  exclusive: boolean;
  keyOptions: string | null;
  comment: string | null;
}

/** Decides the new file from the existing one and the wanted keys, as the real module does. */
export function planKeys(existingText: string, req: KeysRequest): KeysPlan {
  const existing = parseKeysFile(existingText);
  const wanted = splitLinesKeep(req.keys).map((l) => l.replace(/(\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])$/, '')).filter((s) => s && !s.startsWith('#'));
  const baseRank = existing.size;
  const keep = new Set<string>();
  let changed = false;
  for (const [rank, line] of wanted.entries()) {
    const parsed = parseKeyLine(line, rank);
    if (!parsed) return { changed: false, content: existingText, invalid: line };
    if (req.keyOptions !== null) parsed.options = parseKeyOptions(req.keyOptions);
    if (req.comment !== null) parsed.comment = req.comment;
    const old = existing.get(parsed.id);
    let matched = false;
    let replace = false;
    if (old) {
      if (!sameKey(parsed, old) && req.present) replace = true;
      else matched = true;
    }
    if (req.present) {
      keep.add(parsed.id);
      if (replace) {
        existing.delete(parsed.id);
        changed = true;
      }
      if (!matched) {
        existing.set(parsed.id, { ...parsed, rank: baseRank + rank });
        changed = true;
      }
    } else if (matched) {
      existing.delete(parsed.id);
      changed = true;
    }
  }
  if (req.present && req.exclusive) {
    for (const id of [...existing.keys()]) {
      if (!keep.has(id)) {
        existing.delete(id);
        changed = true;
      }
    }
  }
  return { changed, content: changed ? serializeKeys(existing) : existingText };
}
