// The host key decision for one connection attempt, as OpenSSH makes it: a known key passes,
// a changed or revoked one is refused, an unknown one passes only with checking off or accept-new.
import { fingerprint, keyFromBlob, keyTypeLabel, knownHostsName, knownTypes, record, verify } from './known-hosts';
import type { SshSettings } from './settings';

export class HostKeyCheck {
  /** Set when the key was refused: the message ssh would print. */
  failure?: string;
  /** Printed as a warning by the caller (the key was added to known_hosts). */
  notice?: string;
  private readonly name: string;
  private readonly files: string[];

  constructor(private readonly s: SshSettings) {
    this.name = s.hostKeyAlias ?? knownHostsName(s.hostname, s.port);
    this.files = [...s.userKnownHosts, ...s.globalKnownHosts];
  }

  knownTypes(): string[] {
    return knownTypes(this.files, this.name);
  }

  check(blob: Buffer): boolean {
    const key = keyFromBlob(blob);
    const label = keyTypeLabel(key.type);
    const fp = fingerprint(blob);
    const verdict = verify(this.files, this.name, key);
    switch (verdict.kind) {
      case 'match':
        return true;
      case 'revoked':
        this.failure = `Host key ${label} ${fp} for ${this.name} is marked as revoked in ${verdict.entry.file}:${verdict.entry.line}.\r\nHost key verification failed.`;
        return false;
      case 'changed': {
        if (this.s.strict === 'no') return true;
        const known = `${verdict.known.file}:${verdict.known.line}`;
        this.failure = [
          '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
          '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
          '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
          'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
          'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
          'It is also possible that a host key has just been changed.',
          `The fingerprint for the ${label} key sent by the remote host ${this.name} is`,
          `${fp}.`,
          `The ${label} key known for ${this.name} in ${known} is`,
          `${fingerprint(verdict.known.blob)}.`,
          'Please contact your system administrator.',
          `Add correct host key in ${this.s.userKnownHosts[0] ?? 'known_hosts'} to get rid of this message.`,
          `Offending ${label} key in ${known}`,
          `Host key for ${this.name} has changed and you have requested strict checking.`,
          'Host key verification failed.',
        ].join('\r\n');
        return false;
      }
      case 'unknown': {
        if (this.s.strict === 'yes') {
          this.failure = `No ${label} host key is known for ${this.name} and you have requested strict checking.\r\nThe ${label} key fingerprint is ${fp}.\r\nHost key verification failed.`;
          return false;
        }
        const file = this.s.userKnownHosts[0];
        if (file) {
          try {
            // another connection of this run may have recorded it meanwhile
            if (verify(this.files, this.name, key).kind !== 'match') record(file, this.name, key, this.s.hashKnownHosts);
            this.notice = `Permanently added '${this.name}' (${label}) to the list of known hosts.`;
          } catch (e) {
            this.notice = `Failed to add the host to the list of known hosts (${file}): ${(e as Error).message}`;
          }
        }
        return true;
      }
    }
  }

  commit(): void {
    /* the key is recorded when it is accepted, as OpenSSH does */
  }
}
