// Ansible's file-common-args (add_file_common_args=True), shared by every file-writing module.
import type { ArgSpec } from '../types';

export const FILE_COMMON_SPEC = {
  attributes: { type: 'str', aliases: ['attr'] },
  group: { type: 'str' },
  mode: { type: 'raw' },
  owner: { type: 'str' },
  selevel: { type: 'str' },
  serole: { type: 'str' },
  setype: { type: 'str' },
  seuser: { type: 'str' },
  unsafe_writes: { type: 'bool', default: false },
} satisfies ArgSpec;
