// Concurrency over SSH compared with ansible-playbook on the same sshd hosts: serial as a number, a
// percentage and a list (with a host failing mid-way), strategy free, throttle and forks (measured
// on the targets), run_once, and delegate_to another SSH host through one pooled connection.
import * as fs from 'fs';
import * as path from 'path';
import { ansibleAvailable, ensureRootAlias, recap, ROOT_USER, SshWorld, statusLines } from './lib';

let w: SshWorld;
let key: string;
const WEB = [1, 2, 3, 4, 5].map((i) => ({ name: `h${i}`, address: `127.0.1.5${i}` }));
const DELEGATE = { name: 'h6', address: '127.0.1.56' };
const PORT = 2250;

beforeAll(async () => {
  ensureRootAlias();
  w = new SshWorld('concurrency');
  key = w.key('id_ed25519');
  w.authorize(ROOT_USER, [key]);
  // one sshd for the play's hosts, one of its own for the delegation target
  await w.sshd(WEB.map((h) => ({ address: h.address, port: PORT })));
  await w.sshd([{ address: DELEGATE.address, port: PORT }]);
  w.trustAll();
  const line = (h: { name: string; address: string }) => `${h.name} ansible_host=${h.address} ansible_port=${PORT} ansible_user=${ROOT_USER} ansible_ssh_private_key_file=${key}`;
  w.write('inventory', `[web]\n${WEB.map(line).join('\n')}\n\n[other]\n${line(DELEGATE)}\n`);
  fs.mkdirSync(path.join(w.dir, 'out'), { recursive: true });
});

afterAll(async () => {
  await w?.close();
});

/** Each banner with its host lines and their bodies (debug output, failures), hosts sorted within a banner. */
function results(out: string): string[] {
  const sections: string[] = [];
  let group: string[] = [];
  let body: string[] | undefined;
  const flush = () => {
    sections.push(...group.sort());
    group = [];
  };
  for (const raw of out.split('\n')) {
    if (body) {
      body.push(raw.trim());
      if (raw === '}') {
        group.push(body.join(' '));
        body = undefined;
      }
      continue;
    }
    if (/^(TASK|PLAY|RUNNING HANDLER) \[/.test(raw)) {
      flush();
      sections.push(raw.replace(/ \*+$/, ''));
    } else if (/^(ok|changed|skipping|fatal|failed): \[/.test(raw)) {
      if (raw.endsWith(' => {')) body = [raw];
      else group.push(raw);
    }
  }
  flush();
  return sections;
}

/** Host lines per task whatever the order hosts reached them (strategy free interleaves banners). */
function hostOutcomes(out: string): string[] {
  const outcomes: string[] = [];
  let task = '';
  for (const line of statusLines(out)) {
    if (/^(TASK|PLAY|RUNNING HANDLER) \[/.test(line)) task = line;
    else outcomes.push(`${task} ${line}`);
  }
  return outcomes.sort();
}

/** The most commands that were running at once, from the start/end times each one wrote. */
function maxOverlap(prefix: string): number {
  const events: [number, number][] = [];
  for (const f of fs.readdirSync(path.join(w.dir, 'out')).filter((n) => n.startsWith(prefix))) {
    const [start, end] = fs.readFileSync(path.join(w.dir, 'out', f), 'utf8').trim().split(/\s+/).map(Number);
    events.push([start as number, 1], [end as number, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of events) most = Math.max(most, (now += d));
  return most;
}

const both = (playbook: string, extra: string[] = []) => {
  const t = w.tsible(['-i', 'inventory', playbook, '-e', 'engine=tsible', '-e', `out=${w.dir}/out`, ...extra]);
  const a = ansibleAvailable() ? w.ansible(['-i', 'inventory', playbook, '-e', 'engine=ansible', '-e', `out=${w.dir}/out`, ...extra]) : undefined;
  return { t, a };
};

test('serial as a number, a percentage and a list, with a host failing in a batch: batches, statuses and RECAP as ansible-playbook', () => {
  const batch = `    - debug: msg="{{ ansible_play_batch | join(',') }}"\n`;
  w.write(
    'serial.yml',
    `- name: serial number\n  hosts: web\n  gather_facts: no\n  serial: 2\n  tasks:\n    - command: echo {{ inventory_hostname }}\n      changed_when: false\n    - fail: msg=boom\n      when: inventory_hostname == 'h3'\n${batch}` +
      `- name: serial percentage\n  hosts: web\n  gather_facts: no\n  serial: "40%"\n  tasks:\n${batch}` +
      `- name: serial list\n  hosts: web\n  gather_facts: no\n  serial: [1, 2, "50%"]\n  tasks:\n${batch}`,
  );
  const { t, a } = both('serial.yml');
  expect(t.code).toBe(2);
  // batches are cut from all the play's hosts, h3 (failed earlier) too: it runs nothing in its batch
  expect(t.stdout.split('PLAY [serial number]').length - 1).toBe(3);
  expect(t.stdout.split('PLAY [serial percentage]').length - 1).toBe(3);
  expect(t.stdout.split('PLAY [serial list]').length - 1).toBe(3);
  // ansible_play_batch leaves out a host as soon as it fails
  expect(t.stdout).toContain('ok: [h4] => {\n    "msg": "h4"\n}');
  expect(t.stdout).toContain('ok: [h2] => {\n    "msg": "h2"\n}');
  expect(t.stdout).toContain('"msg": "h4,h5"');
  if (a) expect({ code: t.code, recap: recap(t.stdout), results: results(t.stdout) }).toEqual({ code: a.code, recap: recap(a.stdout), results: results(a.stdout) });
});

test('strategy free, run_once and delegate_to another SSH host (one pooled connection to it), as ansible-playbook', () => {
  w.write(
    'free.yml',
    `- name: free\n  hosts: web\n  gather_facts: no\n  strategy: free\n  tasks:\n    - command: sleep {{ (groups.web.index(inventory_hostname) % 3) * 0.3 }}\n    - command: echo second\n      changed_when: false\n    - fail: msg=stop\n      when: inventory_hostname == 'h2'\n    - debug: msg=after\n` +
      `- name: once and delegated\n  hosts: web\n  gather_facts: no\n  tasks:\n    - command: echo picked by {{ inventory_hostname }}\n      run_once: true\n      register: once\n    - debug: msg="{{ once.stdout }}"\n` +
      `    - shell: 'echo $$; p=$$; while [ "$(ps -o comm= -p $p)" != sshd ]; do p=$(ps -o ppid= -p $p | tr -d " "); done; echo $p'\n      delegate_to: h6\n      register: via\n      changed_when: false\n` +
      `    - shell: echo "{{ inventory_hostname }} {{ via.stdout_lines[1] | trim }} $(hostname -I 2>/dev/null | wc -w)" >> {{ out }}/delegated-{{ engine }}\n      delegate_to: h6\n`,
  );
  const { t, a } = both('free.yml');
  expect(t.code).toBe(2);
  expect(recap(t.stdout).h2).toEqual(expect.objectContaining({ failed: 1 }));
  expect(t.stdout).toContain('"msg": "picked by h1"');
  expect(t.stdout).toContain('ok: [h3 -> h6(127.0.1.56)]');
  const delegated = fs.readFileSync(path.join(w.dir, 'out', 'delegated-tsible'), 'utf8').trim().split('\n');
  expect(delegated.map((l) => l.split(' ')[0]).sort()).toEqual(['h1', 'h3', 'h4', 'h5']);
  // every delegated command ran on the same sshd connection to h6 (its nearest sshd ancestor is that connection's session process)
  expect(new Set(delegated.map((l) => l.split(' ')[1])).size).toBe(1);
  if (a) {
    expect({ code: t.code, recap: recap(t.stdout), outcomes: hostOutcomes(t.stdout) }).toEqual({ code: a.code, recap: recap(a.stdout), outcomes: hostOutcomes(a.stdout) });
    const theirs = fs.readFileSync(path.join(w.dir, 'out', 'delegated-ansible'), 'utf8').trim().split('\n');
    expect(theirs.map((l) => l.split(' ')[0]).sort()).toEqual(['h1', 'h3', 'h4', 'h5']);
  }
});

test('throttle and forks bound the commands running at once on the targets, as in ansible-playbook', () => {
  const timed = (tag: string) => `    - shell: "s=$(date +%s.%N); sleep 0.6; echo $s $(date +%s.%N) > {{ out }}/{{ engine }}-${tag}-{{ inventory_hostname }}"\n`;
  w.write('throttle.yml', `- hosts: web\n  gather_facts: no\n  tasks:\n${timed('throttled')}      throttle: 2\n${timed('free')}`);
  const { t, a } = both('throttle.yml');
  expect(t.code).toBe(0);
  expect(maxOverlap('tsible-throttled-')).toBe(2);
  expect(maxOverlap('tsible-free-')).toBeGreaterThan(2);
  const forks = w.tsible(['-i', 'inventory', 'throttle.yml', '-e', 'engine=tsible-f1', '-e', `out=${w.dir}/out`, '--forks', '1']);
  expect(forks.code).toBe(0);
  expect(maxOverlap('tsible-f1-free-')).toBe(1);
  if (a) {
    expect({ code: a.code, recap: recap(a.stdout), lines: statusLines(a.stdout) }).toEqual({ code: t.code, recap: recap(t.stdout), lines: statusLines(t.stdout) });
    expect(maxOverlap('ansible-throttled-')).toBeLessThanOrEqual(2);
  }
});
