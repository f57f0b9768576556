// ssh_config files read as OpenSSH reads them: the `ssh-config` package tokenises, and this
// file decides which lines apply to a host (Host/Match patterns, negation, Include, first wins).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import SSHConfig from 'ssh-config';
import type { SshOption } from './openssh-args';

type Line = ReturnType<typeof SSHConfig.parse>[number];
type Value = string | { val: string; separator: string; quoted?: boolean }[];

export interface HostContext {
  /** The host name as given to ssh (ansible_host, or the inventory name). */
  originalHost: string;
  /** The remote user already fixed by the command line, if any. */
  user?: string;
  localUser: string;
  home: string;
}

/** OpenSSH's wildcard match: `*` any run, `?` exactly one character, case-insensitive for hosts. */
export function wildcardMatch(pattern: string, text: string, ignoreCase = true): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(text);
}

/** A pattern list (comma or space separated): some positive entry matches and no negated one does. */
export function patternListMatch(patterns: string[], text: string, ignoreCase = true): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (wildcardMatch(p.slice(1), text, ignoreCase)) return false;
    } else if (wildcardMatch(p, text, ignoreCase)) matched = true;
  }
  return matched;
}

function words(value: Value): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((w) => w !== '');
  return value.map((v) => v.val);
}

function text(value: Value): string {
  if (typeof value === 'string') return value;
  return value.map((v) => (v.quoted ? `"${v.val}"` : v.val)).join(' ');
}

class Evaluation {
  readonly options: SshOption[] = [];
  private readonly seen = new Set<string>();
  private depth = 0;

  constructor(private readonly ctx: HostContext) {}

  private currentValue(key: string): string | undefined {
    return this.options.find((o) => o.key === key)?.value;
  }

  private hostName(): string {
    const hn = this.currentValue('hostname');
    return hn ? hn.replace(/%h/g, this.ctx.originalHost) : this.ctx.originalHost;
  }

  private matchCriteria(args: string[], baseDir: string): boolean {
    for (let i = 0; i < args.length; i++) {
      let crit = (args[i] as string).toLowerCase();
      const negate = crit.startsWith('!');
      if (negate) crit = crit.slice(1);
      let result: boolean;
      if (crit === 'all' || crit === 'final') result = true;
      else if (crit === 'canonical') result = false;
      else {
        const arg = args[++i] ?? '';
        const list = arg.split(',');
        switch (crit) {
          case 'host':
            result = patternListMatch(list, this.hostName());
            break;
          case 'originalhost':
            result = patternListMatch(list, this.ctx.originalHost);
            break;
          case 'user':
            result = patternListMatch(list, this.currentValue('user') ?? this.ctx.user ?? this.ctx.localUser, false);
            break;
          case 'localuser':
            result = patternListMatch(list, this.ctx.localUser, false);
            break;
          case 'exec':
            result = spawnSync('/bin/sh', ['-c', arg.replace(/%h/g, this.hostName()).replace(/%n/g, this.ctx.originalHost)], { cwd: baseDir, stdio: 'ignore' }).status === 0;
            break;
          default:
            result = false;
        }
      }
      if (result === negate) return false;
    }
    return true;
  }

  private include(value: Value, baseDir: string): void {
    if (this.depth > 16) return; // OpenSSH's own include depth limit
    for (const pattern of words(value)) {
      const expanded = pattern.startsWith('~/') ? path.join(this.ctx.home, pattern.slice(2)) : pattern;
      const full = path.isAbsolute(expanded) ? expanded : path.join(baseDir, expanded);
      for (const file of globFiles(full)) {
        this.depth++;
        this.file(file, baseDir);
        this.depth--;
      }
    }
  }

  private directive(line: Line, baseDir: string): void {
    if (!('param' in line) || line.type !== SSHConfig.DIRECTIVE) return;
    const key = line.param.toLowerCase();
    const value = line.value as Value;
    if (key === 'include') return this.include(value, baseDir);
    const opt = { key, value: text(value) };
    if (key === 'identityfile' || key === 'certificatefile' || key === 'localforward' || key === 'remoteforward') {
      this.options.push(opt);
      return;
    }
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.options.push(opt);
  }

  lines(lines: Line[], baseDir: string): void {
    for (const line of lines) {
      if (line.type !== SSHConfig.DIRECTIVE) continue;
      const key = line.param.toLowerCase();
      if (key === 'host' || key === 'match') {
        const args = words(line.value as Value);
        const applies = key === 'host' ? patternListMatch(args, this.ctx.originalHost) : this.matchCriteria(args, baseDir);
        if (applies && 'config' in line) for (const sub of line.config) this.directive(sub, baseDir);
        continue;
      }
      this.directive(line, baseDir);
    }
  }

  file(file: string, baseDir: string): void {
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch {
      return; // a missing config file is no error for ssh
    }
    this.lines(SSHConfig.parse(content), baseDir);
  }
}

/** Files matching a path with `*`/`?` in its last components (Include's glob), sorted. */
function globFiles(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern];
  const parts = pattern.split('/');
  let bases = ['/'];
  for (const part of parts.filter((p) => p !== '')) {
    const next: string[] = [];
    for (const base of bases) {
      if (!/[*?[]/.test(part)) {
        next.push(path.join(base, part));
        continue;
      }
      let entries: string[] = [];
      try {
        entries = fs.readdirSync(base);
      } catch {
        continue;
      }
      for (const e of entries.sort()) if (!e.startsWith('.') && wildcardMatch(part, e, false)) next.push(path.join(base, e));
    }
    bases = next;
  }
  return bases.filter((f) => fs.existsSync(f));
}

/**
 * The options that apply to a host, in the order OpenSSH meets them, from `-F FILE` or
 * else ~/.ssh/config then /etc/ssh/ssh_config. Callers take the first value of each key.
 */
export function sshConfigOptions(ctx: HostContext, configFile?: string): SshOption[] {
  const ev = new Evaluation(ctx);
  if (configFile !== undefined) {
    if (configFile !== 'none') ev.file(configFile, path.join(ctx.home, '.ssh'));
  } else {
    ev.file(path.join(ctx.home, '.ssh', 'config'), path.join(ctx.home, '.ssh'));
    ev.file('/etc/ssh/ssh_config', '/etc/ssh');
  }
  return ev.options;
}
