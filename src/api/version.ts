// The tsible version and the Ansible version whose behaviour it reproduces.
export const VERSION = '0.1.0';
export const ANSIBLE_COMPAT_VERSION = '2.14.18';
