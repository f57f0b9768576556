// Which module parity cases run over the docker connection: a CI subset covering every module,
// and the cases whose result depends on the machine rather than the connection (with why).
// `PARITY_DOCKER=all npx jest test/parity/parity-docker.test.ts` runs every other case
// (2026-12-05: 290 of 300 matched; the 10 below are the rest).

/** Cases that cannot match a container: the reference describes this host itself. */
export const DOCKER_PARITY_DIFFERENT: Record<string, string> = {
  'service-facts': 'lists the sysv services of the recording host (dbus, postgresql init scripts)',
  'setup-facts-dict': 'reads ansible_lsb, which needs lsb_release (the host has it, the image does not)',
  'setup-hardware-facts': 'mount uuids of the host\'s disks; the container\'s overlay root has none',
  'setup-mgr-facts': 'service_mgr: the recording host has no systemd as PID 1, the container has',
  'setup-misc-facts': 'ansible_lsb again (no lsb_release in the image)',
  'setup-platform-facts': 'the Debian point release of the host (12.11) and of the image (current)',
  'stat-file': 'mimetype and charset come from file(1), which the image does not have',
  'unarchive-check-zip': 'zip archives need unzip on the target; the image has none',
  'unarchive-zip': 'zip archives need unzip on the target; the image has none',
  'unarchive-zip-remote': 'zip archives need unzip on the target; the image has none',
};

/**
 * Run on every `npm test` (5 minutes on the loaded 2-core machine, 2026-12-05): at least one case per module, chosen for what
 * crosses the connection (binary and text transfer, modes, links, fetch to the controller,
 * become-free root writes, HTTP from the target, users and groups, sysctl, tempfiles).
 */
export const DOCKER_PARITY_CI: readonly string[] = [
  'assemble-basic',
  'blockinfile-create',
  'copy-binary',
  'copy-content-mode-sym',
  'copy-remote-src',
  'copy-src-dir-modes',
  'copy-validate-ok',
  'fetch-flat',
  'fetch-bad-missing',
  'file-directory-recurse',
  'file-hard',
  'file-link-relative',
  'file-touch-fixed-time',
  'find-patterns',
  'get_url-checksum-url',
  'get_url-https-ca',
  'group-create-remove',
  'hostname-current',
  'lineinfile-backrefs',
  'mount-present',
  'replace-backup',
  'slurp-binary',
  'stat-link-follow',
  'sysctl-basic',
  'tempfile-cleanup',
  'template-mode',
  'unarchive-targz',
  'uri-post-json',
  'user-create-remove',
  'wait_for-regex-file',
];
