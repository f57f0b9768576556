// YAML 1.1 scalar resolution exactly as PyYAML's SafeLoader (what Ansible uses):
// yes/no/on/off booleans, 0644 octal, 1:20 sexagesimal, "1e3" stays a string.
import type { ScalarTag } from 'yaml';
import { PyFloat } from '../template/pyvalues';

const NULL_RE = /^(?:~|null|Null|NULL)?$/;
const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function sexagesimal(digits: string): number {
  let value = 0;
  for (const part of digits.split(':')) value = value * 60 + Number(part);
  return value;
}

export function resolveInt(text: string): number {
  let s = text.replace(/_/g, '');
  let sign = 1;
  if (s[0] === '-') sign = -1;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  if (s === '0') return 0;
  if (s.startsWith('0b')) return sign * parseInt(s.slice(2), 2);
  if (s.startsWith('0x')) return sign * parseInt(s.slice(2), 16);
  if (s.startsWith('0')) return sign * parseInt(s, 8);
  if (s.includes(':')) return sign * sexagesimal(s);
  return sign * parseInt(s, 10);
}

export function resolveFloat(text: string): number | PyFloat {
  let s = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s[0] === '-') sign = -1;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let value: number;
  if (s === '.inf') value = Infinity;
  else if (s === '.nan') value = NaN;
  else if (s.includes(':')) value = sexagesimal(s);
  else value = Number(s);
  value *= sign;
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

const scalar = (tag: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag => ({
  tag,
  default: true,
  test,
  resolve: resolve as ScalarTag['resolve'],
});

/** Tags replacing the yaml package's 1.1 scalars with PyYAML's exact rules. */
export const pyyamlScalarTags: ScalarTag[] = [
  scalar('tag:yaml.org,2002:null', NULL_RE, () => null),
  scalar('tag:yaml.org,2002:bool', BOOL_RE, (s) => /^(?:yes|true|on)$/i.test(s)),
  scalar('tag:yaml.org,2002:int', INT_RE, resolveInt),
  scalar('tag:yaml.org,2002:float', FLOAT_RE, resolveFloat),
];
