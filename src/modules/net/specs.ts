// Argument specs shared by the network modules: Ansible's url_argument_spec() and the
// file-common arguments that add_file_common_args brings (accepted; selinux ones ignored).
import type { ArgSpec } from '../types';

export const URL_COMMON_SPEC: ArgSpec = {
  url: { type: 'str' },
  force: { type: 'bool', default: false },
  http_agent: { type: 'str', default: 'ansible-httpget' },
  use_proxy: { type: 'bool', default: true },
  validate_certs: { type: 'bool', default: true },
  url_username: { type: 'str' },
  url_password: { type: 'str', noLog: true },
  force_basic_auth: { type: 'bool', default: false },
  client_cert: { type: 'path' },
  client_key: { type: 'path' },
  use_gssapi: { type: 'bool', default: false },
};

export const FILE_COMMON_SPEC: ArgSpec = {
  mode: { type: 'raw' },
  owner: { type: 'str' },
  group: { type: 'str' },
  seuser: { type: 'str' },
  serole: { type: 'str' },
  selevel: { type: 'str' },
  setype: { type: 'str' },
  attributes: { type: 'str', aliases: ['attr'] },
  unsafe_writes: { type: 'bool', default: false },
};
