// Helpers of the roles' parity test: an image with python3 for ansible-playbook (derived from the
// built-in image), a playbook run by either engine with the same inventory shape, and snapshots of
// the files a run leaves (paths, modes, owners, contents; keys, CSRs and certificates, also those a
// kubeconfig embeds, by what they say, since their bytes differ on every issue) with each host's
// address replaced by its name.
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from './support';

const CLI = path.join(REPO, 'dist', 'cli', 'main.js');
export const PARITY_PREFIX = 'tsible-roles-parity';

/** The built-in image plus python3 (Ansible's modules need it), rebuilt when the base changes. */
export function pythonImage(base = 'tsible/debian:12'): string {
  const baseId = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', base], { encoding: 'utf8' }).trim().replace(/^sha256:/, '').slice(0, 12);
  const tag = `${PARITY_PREFIX}:py3-${baseId}`;
  if (spawnSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' }).status === 0) return tag;
  const dockerfile = `FROM ${base}\nRUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*\n`;
  const built = spawnSync('docker', ['build', '-q', '-t', tag, '-'], { input: dockerfile, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building ${tag}: ${built.stderr}`);
  return tag;
}

export interface EngineRun {
  code: number | null;
  out: string;
  /** PLAY RECAP lines, whitespace normalised: "host : ok=1 changed=0 ...". */
  recap: string[];
}

export function recapOf(out: string): string[] {
  const at = out.lastIndexOf('PLAY RECAP');
  if (at < 0) return [];
  return out.slice(at).split('\n').slice(1).filter((l) => /^\S+\s+:\s+ok=/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '));
}

/** Runs the playbook with ansible-playbook or tsible; the roles come from the repository's roles/.
 *  Asynchronous: the artifact mirror the roles download from is served by this same process. */
export function runEngine(engine: 'ansible' | 'tsible', playbook: string, inventory: string, extra: string[] = []): Promise<EngineRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ANSIBLE_ROLES_PATH: path.join(REPO, 'roles'), ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PIPELINING: '1' };
  delete env.ANSIBLE_FORCE_COLOR;
  const [cmd, args] = engine === 'ansible' ? ['ansible-playbook', ['-i', inventory, ...extra, playbook]] : [process.execPath, [CLI, '-i', inventory, ...extra, playbook]];
  const child = spawn(cmd, args, { cwd: path.dirname(playbook), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, recap: recapOf(out) })));
}

/** Lists each path (recursively for `trees`) with mode and owner, and what its content says. */
const SNAPSHOT = String.raw`
key() { openssl pkey -noout -text | head -n 1; }
cert() { openssl x509 -noout -subject -issuer -nameopt RFC2253 -ext subjectAltName,keyUsage,extendedKeyUsage,basicConstraints | sed 's/^ *//'; }
kubeconfig() {
  while IFS= read -r line; do
    case "$line" in
      *-key-data:*) echo "$line" | sed 's/:.*/:/'; echo "$line" | sed 's/^ *[^ ]* //' | base64 -d | key ;;
      *-data:*) echo "$line" | sed 's/:.*/:/'; echo "$line" | sed 's/^ *[^ ]* //' | base64 -d | cert ;;
      *) echo "$line" ;;
    esac
  done
}
describe() {
  f="$1"
  printf '%s %s %s:%s\n' "$f" "$(stat -c %a "$f")" "$(stat -c %U "$f")" "$(stat -c %G "$f")"
  [ -f "$f" ] || return 0
  case "$f" in
    *-key.pem) key < "$f" ;;
    *.csr) openssl req -in "$f" -noout -subject -nameopt RFC2253 && openssl req -in "$f" -noout -text | grep -A1 -E 'X509v3 (Subject Alternative Name|Key Usage|Extended Key Usage|Basic Constraints)' | sed 's/^ *//' ;;
    *.pem) cert < "$f" ;;
    *kubeconfig) kubeconfig < "$f" ;;
    *.service|*.conf|*.env|*.conflist|*.yaml) cat "$f" ;;
    *) sha256sum < "$f" | cut -c1-64 ;;
  esac
}
mode="$1"; shift
for p in "$@"; do
  [ -e "$p" ] || { echo "$p absent"; continue; }
  if [ "$mode" = tree ]; then find "$p" | sort | while read -r f; do describe "$f"; done; else describe "$p"; fi
done
`;

/** The snapshot of paths inside a container (trees listed recursively, singles alone). */
export function containerSnapshot(container: string, trees: string[], singles: string[]): string {
  const run = (mode: string, paths: string[]): string =>
    paths.length === 0 ? '' : execFileSync('docker', ['exec', container, 'sh', '-c', SNAPSHOT, 'snapshot', mode, ...paths], { encoding: 'utf8' });
  return run('tree', trees) + run('single', singles);
}

/** The snapshot of a directory on this machine, paths relative to it. */
export function localSnapshot(dir: string): string {
  return execFileSync('sh', ['-c', `cd "$0" && sh -c "$1" snapshot tree .`, dir, SNAPSHOT], { encoding: 'utf8' });
}

/** Replaces each address with <name>, so runs on containers with other addresses compare. */
export function normalise(text: string, addresses: Record<string, string>): string {
  let out = text;
  for (const [name, addr] of Object.entries(addresses)) out = out.split(addr).join(`<${name}>`);
  return out;
}

export function writeFile(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
