// Version comparison as Ansible's `version` test does it: LooseVersion by default,
// StrictVersion with strict=True, SemanticVersion for version_type=semver.
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
    const types: Record<string, (v: string) => Parsed> = { loose, strict, semver, semantic: semver, pep440: loose };
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
