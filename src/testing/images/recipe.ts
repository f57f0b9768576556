// The built-in base image as data: what debootstrap installs, what is set up inside, how the
// image runs. Its hash, stored as an image label, decides whether a cached image is current.
import { createHash } from 'crypto';

/** The name the built-in image is tagged with (and the image value platforms use for it). */
export const BUILTIN_IMAGE = 'tsible/debian:12';
/** Other image values that mean the built-in image. */
export const BUILTIN_ALIASES: readonly string[] = ['tsible/debian:12', 'tsible/debian:bookworm', 'tsible/debian', 'tsible'];
/** Label holding the recipe hash on the built image. */
export const RECIPE_LABEL = 'org.tsible.recipe';
/** Label marking images made by tsible (for `tsible test image ls|rm`). */
export const BUILT_BY_LABEL = 'org.tsible.image';

export interface ImageRecipe {
  /** The image's name (a moving tag); each recipe's own tag is this plus its hash. */
  name: string;
  suite: string;
  variant: string;
  packages: readonly string[];
  /** sh run in the chroot after debootstrap. */
  setup: string;
  /** `docker import --change` lines (import takes CMD, ENV, LABEL...; not STOPSIGNAL: the driver sets it). */
  changes: readonly string[];
}

const HOSTKEYS_UNIT = `[Unit]
Description=Generate this container's own SSH host keys on first start
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=ssh.service
`;

export const BASE_RECIPE: ImageRecipe = {
  name: BUILTIN_IMAGE,
  suite: 'bookworm',
  variant: 'minbase',
  packages: ['systemd', 'systemd-sysv', 'dbus', 'iproute2', 'openssh-server', 'sudo', 'curl', 'ca-certificates', 'procps'],
  setup: [
    'set -e',
    // every container gets its own machine id and host keys at first boot
    ': > /etc/machine-id',
    'rm -f /var/lib/dbus/machine-id /etc/ssh/ssh_host_*',
    `cat > /etc/systemd/system/tsible-ssh-hostkeys.service <<'UNIT'\n${HOSTKEYS_UNIT}UNIT`,
    'systemctl enable tsible-ssh-hostkeys.service',
    // /tmp is a fresh tmpfs in tsible's containers; Debian's "D /tmp" would empty a host /tmp
    // that a scenario binds there at every boot, so /tmp is only created, never cleaned
    "printf 'd /tmp 1777 root root -\\n' > /etc/tmpfiles.d/tmp.conf",
    // sshd stays off unless asked for (tsible lab up --ssh starts it)
    'systemctl disable ssh.service',
    // units that wait for hardware or ttys a container does not have
    'systemctl mask systemd-udevd.service systemd-udevd-kernel.socket systemd-udevd-control.socket getty@tty1.service console-getty.service',
    'printf "%s\\n" "deb http://deb.debian.org/debian bookworm main" "deb http://deb.debian.org/debian bookworm-updates main" "deb http://deb.debian.org/debian-security bookworm-security main" > /etc/apt/sources.list',
    // docker provides these; stale package lists would make apt fetch versions that are gone
    'rm -f /etc/hostname /etc/resolv.conf',
    'apt-get clean',
    'rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log /tmp/* /var/tmp/*',
  ].join('\n'),
  changes: ['CMD ["/sbin/init"]', 'ENV container=docker'],
};

/** sha256 of everything that shapes the image (not the mirror it is downloaded from). */
export function recipeHash(recipe: ImageRecipe = BASE_RECIPE): string {
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex');
}

/**
 * The tag of the image built from this recipe (tsible/debian:12-<hash>): tsible versions with
 * different recipes on one machine each keep their own image instead of rebuilding in turn.
 * The plain name (BUILTIN_IMAGE for the base recipe) follows the one built or used last.
 */
export function builtinImageRef(recipe: ImageRecipe = BASE_RECIPE): string {
  return `${recipe.name}-${recipeHash(recipe).slice(0, 12)}`;
}

export function isBuiltinImage(image: string): boolean {
  return BUILTIN_ALIASES.includes(image);
}
