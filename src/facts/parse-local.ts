// Local facts (ansible_local) from fact_path: each *.fact file is JSON or INI, or an
// executable whose output is; failures become the fact's text as Ansible words them.
import { ConfigParser } from '../util/configparser';
import type { Sections } from './probe';

/** Per file: "@@fact <b64 path>" then "stat <b64 error>", "exec <rc> <b64 out> <b64 err>" or "file <b64 content>". */
export const LOCAL_FACTS_PROBE =
  'fp=${TSIBLE_FACT_PATH:-/etc/ansible/facts.d}; [ -e "$fp" ] || exit 0; echo "@@exists"; ' +
  'for f in "$fp"/*.fact; do { [ -e "$f" ] || [ -L "$f" ]; } || continue; echo "@@fact $(printf %s "$f" | base64 -w0)"; ' +
  'if ! m=$(stat -L -c %a "$f" 2>/dev/null); then echo "stat"; ' +
  'elif [ $(( m / 100 % 10 % 2 )) -eq 1 ]; then e=$(mktemp 2>/dev/null || echo /tmp/tsible-fact.$$); o=$("$f" 2>"$e"); rc=$?; ' +
  'echo "exec $rc $(printf %s "$o" | base64 -w0) $(base64 -w0 < "$e")"; rm -f "$e"; ' +
  'else echo "file $(base64 -w0 < "$f" 2>/dev/null)"; fi; done';

const b64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

export function localFacts(sections: Sections, warn: (message: string) => void): Record<string, unknown> {
  const text = sections.get('local') ?? '';
  const local: Record<string, unknown> = {};
  let file: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('@@fact ')) {
      file = b64(line.slice(7));
      continue;
    }
    if (file === undefined || line === '' || line === '@@exists') continue;
    const name = file.slice(file.lastIndexOf('/') + 1).replace('.fact', '');
    const [kind, a, b, c] = line.split(' ');
    let content: string;
    if (kind === 'stat') {
      local[name] = `Could not stat fact (${file}): [Errno 2] No such file or directory: '${file}'`;
      warn(local[name] as string);
      continue;
    }
    if (kind === 'exec') {
      if (a !== '0') {
        local[name] = `Failure executing fact script (${file}), rc: ${a}, err: ${b64(c)}`;
        warn(local[name] as string);
        continue;
      }
      content = b64(b);
    } else content = b64(a);
    local[name] = parseFact(content, file, warn);
  }
  return local;
}

function parseFact(content: string, file: string, warn: (message: string) => void): unknown {
  try {
    return JSON.parse(content);
  } catch {
    // not JSON: INI
  }
  const cp = new ConfigParser();
  try {
    cp.read(content);
  } catch {
    const msg = `error loading facts as JSON or ini - please check content: ${file}`;
    warn(msg);
    return msg;
  }
  const fact: Record<string, Record<string, unknown>> = {};
  for (const section of cp.sectionNames()) fact[section] = Object.fromEntries(cp.items(section));
  return fact;
}
