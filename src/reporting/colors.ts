// Ansible's terminal colours (constants.COLOR_CODES) and its stringc/colorize/hostcolor helpers.
// Raw SGR codes instead of chalk: byte-for-byte parity needs Ansible's exact "\x1b[0;32m...\x1b[0m".

export const COLOR_CODES = {
  black: '0;30',
  'bright gray': '0;37',
  blue: '0;34',
  white: '1;37',
  green: '0;32',
  'bright blue': '1;34',
  cyan: '0;36',
  'bright green': '1;32',
  red: '0;31',
  'bright cyan': '1;36',
  purple: '0;35',
  'bright red': '1;31',
  yellow: '0;33',
  'bright purple': '1;35',
  'dark gray': '1;30',
  'bright yellow': '1;33',
  magenta: '0;35',
  'bright magenta': '1;35',
  normal: '0',
} as const;

export type ColorName = keyof typeof COLOR_CODES;

/** The semantic colours of ansible.cfg's [colors] section, with Ansible's defaults. */
export const Colors = {
  changed: 'yellow',
  debug: 'dark gray',
  deprecate: 'purple',
  diffAdd: 'green',
  diffLines: 'cyan',
  diffRemove: 'red',
  error: 'red',
  highlight: 'white',
  ok: 'green',
  skip: 'cyan',
  unreachable: 'bright red',
  verbose: 'blue',
  warn: 'bright purple',
} as const satisfies Record<string, ColorName>;

/** Colours each line separately, as Ansible does (so a multi-line JSON dump is coloured per line). */
export function stringc(text: string, color: ColorName, enabled: boolean): string {
  if (!enabled) return text;
  const code = COLOR_CODES[color];
  return text
    .split('\n')
    .map((line) => `\x1b[${code}m${line}\x1b[0m`)
    .join('\n');
}

/** "ok=3   " padded to width 4, coloured only when non-zero. */
export function colorize(lead: string, num: number, color: ColorName | undefined, enabled: boolean): string {
  const s = `${lead}=${String(num).padEnd(4)}`;
  return num !== 0 && color !== undefined && enabled ? stringc(s, color, true) : s;
}

export interface RecapCounters {
  failures: number;
  unreachable: number;
  changed: number;
}

/** The host column of PLAY RECAP: 26 wide, or 37 when the colour codes (11 bytes) are included. */
export function hostcolor(host: string, stats: RecapCounters, enabled: boolean): string {
  if (!enabled) return host.padEnd(26);
  let color: ColorName = Colors.ok;
  if (stats.failures !== 0 || stats.unreachable !== 0) color = Colors.error;
  else if (stats.changed !== 0) color = Colors.changed;
  return stringc(host, color, true).padEnd(37);
}
