// Version comparison as Ansible's `version` test does it: LooseVersion by default,
// StrictVersion with strict=True, SemanticVersion for version_type=semver, PEP 440 for pep440.
import { TemplateError } from '../../errors';
import { pyStr, truthy } from '../pyvalues';
import { pyCompare, pyEquals } from '../filters/helpers';

type Parsed = unknown[];

function loose(v: string): Parsed {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x !== '' && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function strict(v: string): Parsed {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw new TemplateError(`Version comparison failed: invalid version number '${v}'`);
  const release = [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)];
  // A release without prerelease sorts after any prerelease of it.
  const pre = m[5] ? [0, m[5][0], Number(m[6])] : [1];
  return [release, pre];
}

function semver(v: string): Parsed {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) throw new TemplateError(`Version comparison failed: invalid semantic version '${v}'`);
  const pre = m[4]
    ? [0, ...m[4].split('.').map((p) => (/^\d+$/.test(p) ? [0, Number(p)] : [1, p]))]
    : [1];
  return [[Number(m[1]), Number(m[2]), Number(m[3])], pre];
}

/** PEP 440 (packaging's Version): the sort key of epoch, release, pre, post, dev and local parts. */
function pep440(v: string): Parsed {
  const m =
    /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i.exec(v);
  if (!m) throw new TemplateError(`Version comparison failed: Invalid version: '${v}'`);
  const release = (m[2] as string).split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const hasPost = m[5] !== undefined || m[6] !== undefined;
  const hasDev = m[8] !== undefined;
  const preRank: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };
  const pre = m[3] ? [preRank[m[3].toLowerCase()] ?? 2, Number(m[4] ?? 0)] : !hasPost && hasDev ? [-Infinity] : [Infinity];
  const post = hasPost ? Number(m[5] ?? m[7] ?? 0) : -Infinity;
  const dev = hasDev ? Number(m[9] ?? 0) : Infinity;
  const local = m[10] ? [1, ...m[10].toLowerCase().split(/[-_.]/).map((p) => (/^\d+$/.test(p) ? [1, Number(p)] : [0, p]))] : [0];
  return [Number(m[1] ?? 0), release, pre, post, dev, local];
}

const operators: Record<string, string> = {
  '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le',
  '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne',
};

export function versionCompare(value: unknown, version: unknown, operator: unknown = 'eq', strictOpt: unknown = null, versionType: unknown = null): boolean {
  if (strictOpt !== null && versionType !== null) throw new TemplateError("Cannot specify both 'strict' and 'version_type'");
  if (!truthy(value)) throw new TemplateError('Input version value cannot be empty');
  if (!truthy(version)) throw new TemplateError('Version parameter to compare against cannot be empty');
  let parse = loose;
  if (truthy(strictOpt)) parse = strict;
  else if (versionType !== null) {
    const types: Record<string, (v: string) => Parsed> = { loose, strict, semver, semantic: semver, pep440 };
    const t = types[pyStr(versionType)];
    if (!t) throw new TemplateError(`Invalid version type (${pyStr(versionType)}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`);
    parse = t;
  }
  const op = operators[pyStr(operator)];
  if (!op) {
    throw new TemplateError(`Invalid operator type (${pyStr(operator)}). Must be one of ${Object.keys(operators).map((o) => `'${o}'`).join(', ')}`);
  }
  const a = parse(pyStr(value));
  const b = parse(pyStr(version));
  if (op === 'eq') return pyEquals(a, b);
  if (op === 'ne') return !pyEquals(a, b);
  let c: number;
  try {
    c = pyCompare(a, b);
  } catch (e) {
    throw new TemplateError(`Version comparison failed: ${(e as Error).message}`);
  }
  return op === 'lt' ? c < 0 : op === 'le' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0;
}
