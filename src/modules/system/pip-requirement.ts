// Python package requirements as the pip module reads them: "name[extras] >=1,<2 ; marker",
// PEP 503 name normalisation and PEP 440 version specifiers (==, !=, <=, >=, <, >, ~=, ===, .*).

export interface Requirement {
  /** As written (what pip is given). */
  text: string;
  /** PEP 503 normalised name; undefined for URLs, paths and VCS references. */
  name?: string;
  specs: [string, string][];
}

const OPERATORS = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'];

export function canonicalName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

export function parseRequirement(text: string): Requirement {
  const withoutMarker = text.split(';')[0]!.trim();
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(withoutMarker);
  if (!m || /^[a-z+]+:\/\//i.test(withoutMarker) || m[3]!.startsWith('@')) return { text, specs: [] };
  const specs: [string, string][] = [];
  for (const part of m[3]!.split(',').map((s) => s.trim()).filter(Boolean)) {
    const op = OPERATORS.find((o) => part.startsWith(o));
    if (!op) return { text, specs: [] };
    specs.push([op, part.slice(op.length).trim()]);
  }
  return { text, name: canonicalName(m[1]!), specs };
}

/** Ansible's Package(name, version): a bare version means ==, else the version is a specifier. */
export function withVersion(text: string, version: string): string {
  const v = version.trimStart();
  return /^\d/.test(v) ? `${text}==${v}` : `${text} ${v}`;
}

/** list-typed `name` splits "foo>=1,<2" at the comma: glue specifier pieces back on. */
export function recoverNames(names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (out.length && /^\s*(===|~=|==|!=|<=|>=|<|>)/.test(n)) out[out.length - 1] += `,${n}`;
    else out.push(n);
  }
  return out;
}

interface Version {
  epoch: number;
  release: number[];
  /** [phase, n]: a/b/rc before the release; undefined for a final release. */
  pre?: [number, number];
  post?: number;
  dev?: number;
  local: string;
}

const PRE_PHASE: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

function parseVersion(s: string): Version | undefined {
  const m = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9.]+))?$/i.exec(s.trim());
  if (!m) return undefined;
  return {
    epoch: Number(m[1] ?? 0),
    release: m[2]!.split('.').map(Number),
    pre: m[3] ? [PRE_PHASE[m[3].toLowerCase()]!, Number(m[4] || 0)] : undefined,
    post: m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[6] || 0) : undefined,
    dev: m[7] !== undefined ? Number(m[7] || 0) : undefined,
    local: m[8] ?? '',
  };
}

function compareRelease(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** PEP 440 ordering (local versions ignored). */
export function compareVersions(x: string, y: string): number {
  const a = parseVersion(x);
  const b = parseVersion(y);
  if (!a || !b) return x < y ? -1 : x > y ? 1 : 0;
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch);
  const r = compareRelease(a.release, b.release);
  if (r) return r;
  // dev releases without pre/post sort before pre-releases; final releases after them
  const preKey = (v: Version): [number, number] => (v.pre ? v.pre : v.dev !== undefined && v.post === undefined ? [-1, 0] : [9, 0]);
  const [pa, pb] = [preKey(a), preKey(b)];
  if (pa[0] !== pb[0]) return Math.sign(pa[0] - pb[0]);
  if (pa[1] !== pb[1]) return Math.sign(pa[1] - pb[1]);
  const post = (a.post ?? -1) - (b.post ?? -1);
  if (post) return Math.sign(post);
  return Math.sign((a.dev ?? Infinity) - (b.dev ?? Infinity) || 0);
}

function matches(op: string, wanted: string, version: string): boolean {
  if (op === '===') return version === wanted;
  if ((op === '==' || op === '!=') && wanted.endsWith('.*')) {
    const prefix = wanted.slice(0, -2).split('.').map(Number);
    const rel = parseVersion(version)?.release ?? [];
    const same = prefix.every((p, i) => (rel[i] ?? 0) === p);
    return op === '==' ? same : !same;
  }
  const c = compareVersions(version, wanted);
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '~=': {
      const rel = wanted.split('.');
      const prefix = rel.slice(0, Math.max(1, rel.length - 1)).join('.');
      return c >= 0 && matches('==', `${prefix}.*`, version);
    }
    default:
      return false;
  }
}

/** specifier.contains(version, prereleases=True). */
export function satisfies(req: Requirement, version: string): boolean {
  return req.specs.every(([op, v]) => matches(op, v, version));
}
