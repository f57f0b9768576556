// Probes one user's account state (passwd, shadow, group memberships) and the
// existence of the groups a task names, in a single exec.
import { shQuote } from '../../connection/quote';
import type { Connection } from '../../connection/types';

export interface UserAccount {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
  /** Encrypted password field from shadow, undefined when unreadable. */
  password?: string;
  /** Shadow expiry in days since the epoch; undefined when unset. */
  expireDays?: number;
  /** Supplementary group names (the user appears in their member lists). */
  groups: string[];
}

export interface UserProbe {
  account?: UserAccount;
  /** Groups the task names, resolved: name or gid string → {name, gid}; missing ones absent. */
  groups: Map<string, { name: string; gid: number }>;
  /** A group named like the user exists (useradd would otherwise fail creating it). */
  ownGroupExists: boolean;
}

export async function probeUser(conn: Connection, name: string, groupRefs: readonly string[]): Promise<UserProbe> {
  const r = await conn.exec(userProbeScript(name, groupRefs));
  return parseUserProbe(name, r.stdout);
}

/** The probe's sh (usable after a change in the same exec). */
export function userProbeScript(name: string, groupRefs: readonly string[]): string {
  const n = shQuote(name);
  const lines = [
    `_u=${n}`,
    `printf 'P %s\\n' "$(getent passwd "$_u" 2>/dev/null || awk -F: -v n="$_u" '$1 == n {print; exit}' /etc/passwd)"`,
    `printf 'S %s\\n' "$(awk -F: -v n="$_u" '$1 == n {print; exit}' /etc/shadow 2>/dev/null)"`,
    // supplementary groups: where the user is listed as a member
    `awk -F: -v n="$_u" '{k=split($4, m, ","); for (i = 1; i <= k; i++) if (m[i] == n) print "M " $1}' /etc/group`,
    `getent group "$_u" >/dev/null 2>&1 && echo OWN`,
    ...groupRefs.map((g) => {
      const q = shQuote(g);
      return `_g=$(getent group ${q} 2>/dev/null | head -n1); [ -n "$_g" ] && printf 'G %s %s\\n' ${q} "$_g"`;
    }),
    'exit 0',
  ];
  return lines.join('\n') + '\n';
}

export function parseUserProbe(name: string, stdout: string): UserProbe {
  const probe: UserProbe = { groups: new Map(), ownGroupExists: false };
  const member: string[] = [];
  let passwd = '';
  let shadow = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith('P ')) passwd = line.slice(2);
    else if (line.startsWith('S ')) shadow = line.slice(2);
    else if (line.startsWith('M ')) member.push(line.slice(2));
    else if (line === 'OWN') probe.ownGroupExists = true;
    else if (line.startsWith('G ')) {
      const rest = line.slice(2);
      const sp = rest.indexOf(' ');
      const fields = rest.slice(sp + 1).split(':');
      probe.groups.set(rest.slice(0, sp), { name: fields[0] ?? '', gid: parseInt(fields[2] ?? '', 10) });
    }
  }
  const f = passwd.split(':');
  if (f.length >= 7 && f[0] === name) {
    const s = shadow.split(':');
    const account: UserAccount = {
      name,
      uid: parseInt(f[2] ?? '', 10),
      gid: parseInt(f[3] ?? '', 10),
      comment: f[4] ?? '',
      home: f[5] ?? '',
      shell: f[6] ?? '',
      groups: member,
    };
    if (s.length >= 2 && s[0] === name) {
      account.password = s[1] ?? '';
      if (s[7]) account.expireDays = parseInt(s[7], 10);
    }
    probe.account = account;
  }
  return probe;
}
