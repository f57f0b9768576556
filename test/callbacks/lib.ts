// Golden cases of the timing callbacks (profile_tasks, profile_roles, timer): each case folder is run
// by ansible-playbook (record.ts) and by tsible in a scratch copy; the outputs are compared with the
// clock masked. Every masked line is first checked to have the exact shape the callback prints.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { dashLine, filled } from '../../src/reporting/callbacks/clock';

export const CASES = path.join(__dirname, 'cases');
export const TSIBLE_BIN = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');

export interface CallbackCase {
  name: string;
  dir: string;
  args: string[];
  env: Record<string, string>;
  /** "all" compares the whole stdout; "from-play" starts at the first PLAY banner (for -vv runs). */
  compare: 'all' | 'from-play';
  /** Task names in the order the summary must list them (the sleeps make it certain). */
  order?: string[];
  /** How the summary's seconds must be sorted. */
  sort: 'descending' | 'ascending' | 'none';
}

export function loadCases(): CallbackCase[] {
  return fs
    .readdirSync(CASES)
    .sort()
    .map((name) => {
      const dir = path.join(CASES, name);
      const c = parseYaml(fs.readFileSync(path.join(dir, 'case.yml'), 'utf8')) as Partial<CallbackCase>;
      return { name, dir, args: c.args ?? [], env: c.env ?? {}, compare: c.compare ?? 'all', order: c.order, sort: c.sort ?? 'descending' };
    });
}

export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the case in a scratch copy with ansible-playbook or tsible; paths of the copy read <DIR>. */
export function runCase(c: CallbackCase, engine: 'ansible' | 'tsible'): Output {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tsible-callbacks-${c.name}-`));
  try {
    fs.cpSync(c.dir, dir, { recursive: true });
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_LOCAL_TEMP: path.join(dir, '.tmp'), ...c.env };
    for (const k of ['ANSIBLE_CONFIG', 'ANSIBLE_CALLBACKS_ENABLED', 'ANSIBLE_CALLBACK_WHITELIST', 'PROFILE_TASKS_SORT_ORDER', 'PROFILE_TASKS_TASK_OUTPUT_LIMIT', 'ANSIBLE_STDOUT_CALLBACK']) {
      if (!(k in c.env)) delete env[k];
    }
    const [cmd, argv] = engine === 'ansible' ? ['ansible-playbook', c.args] : [process.execPath, [TSIBLE_BIN, ...c.args]];
    const r = spawnSync(cmd, argv, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    const clean = (s: string) => s.split(dir).join('<DIR>');
    return { code: r.status ?? -1, stdout: clean(r.stdout ?? ''), stderr: clean(r.stderr ?? '') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
const TIME_LINE = new RegExp(`^(${DAY} \\d\\d ${MONTH} \\d{4}  \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} \\(\\d+:\\d\\d:\\d\\d\\.\\d{3}\\) {7}\\d+:\\d\\d:\\d\\d\\.\\d{3}) \\*+ $`);
const SUMMARY_LINE = /^(.*?) -*( \d+\.\d\ds)$/;
const PATH_LINE = /^(\S+:\d+) -+$/;
const TIMER_LINE = /^Playbook run took \d+ days, \d+ hours, \d+ minutes, \d+ seconds$/;

/** The clock taken out; a line whose padding is wrong is left as is, so the comparison shows it. */
export function maskClock(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const t = TIME_LINE.exec(line);
      if (t && filled(t[1] as string) === line) return '<TIME> (<TASK>) <TOTAL> ***';
      const s = SUMMARY_LINE.exec(line);
      if (s && dashLine(`${s[1]} `, s[2] as string, 70) === line) return `${s[1]} ---- <SECONDS>`;
      const p = PATH_LINE.exec(line);
      if (p && `${p[1]} `.padEnd(79, '-') === line) return `${p[1]} ----`;
      if (TIMER_LINE.test(line)) return 'Playbook run took <D> days, <H> hours, <M> minutes, <S> seconds';
      // -v results of command tasks carry their own clock
      return line.replace(/"(delta|end|start)": "[^"]*"/g, '"$1": "<masked>"');
    })
    .join('\n');
}

/** The part of stdout a case compares. */
export function comparable(c: CallbackCase, stdout: string): string {
  const masked = maskClock(stdout);
  if (c.compare === 'all') return masked;
  const at = masked.indexOf('\nPLAY [');
  return at < 0 ? masked : masked.slice(at);
}

/** Names and seconds of the first summary (the first callback's) after its ==== line, in printed order. */
export function summaryRows(stdout: string): { name: string; seconds: number }[] {
  const rows: { name: string; seconds: number }[] = [];
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^=+ $/.test(l));
  if (start < 0) return rows;
  for (const line of lines.slice(start + 1)) {
    const s = SUMMARY_LINE.exec(line);
    if (s) rows.push({ name: s[1] as string, seconds: Number((s[2] as string).trim().slice(0, -1)) });
    else if (!PATH_LINE.test(line)) break;
  }
  return rows;
}

/** What ansible-playbook printed, masked (expected.stdout, expected.stderr) and its exit code (expected.rc). */
export interface Reference {
  code: number;
  stdout: string;
  stderr: string;
}

const refPath = (c: CallbackCase, ext: string): string => path.join(c.dir, `expected.${ext}`);

export function readReference(c: CallbackCase): Reference | undefined {
  if (!fs.existsSync(refPath(c, 'rc'))) return undefined;
  return {
    code: Number(fs.readFileSync(refPath(c, 'rc'), 'utf8').trim()),
    stdout: fs.readFileSync(refPath(c, 'stdout'), 'utf8'),
    stderr: fs.readFileSync(refPath(c, 'stderr'), 'utf8'),
  };
}

export function writeReference(c: CallbackCase, r: Reference): void {
  fs.writeFileSync(refPath(c, 'rc'), `${r.code}\n`);
  fs.writeFileSync(refPath(c, 'stdout'), r.stdout);
  fs.writeFileSync(refPath(c, 'stderr'), r.stderr);
}
