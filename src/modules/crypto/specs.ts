// Argument specs of the community.crypto modules, as `ansible-doc` gives them (collection 2.14).
import type { ArgConstraints, ArgSpec } from '../types';
import { FILE_COMMON_SPEC } from '../files/spec-common';

const CURVE_CHOICES = [
  'secp224r1', 'secp256k1', 'secp256r1', 'secp384r1', 'secp521r1', 'secp192r1', 'brainpoolP256r1', 'brainpoolP384r1',
  'brainpoolP512r1', 'sect163k1', 'sect163r2', 'sect233k1', 'sect233r1', 'sect283k1', 'sect283r1', 'sect409k1', 'sect409r1',
  'sect571k1', 'sect571r1',
];

const BACKEND = { type: 'str', default: 'auto', choices: ['auto', 'cryptography'] } as const;

/** The managed-file arguments every non-pipe module adds. */
const FILE_MODULE = {
  ...FILE_COMMON_SPEC,
  state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
  force: { type: 'bool', default: false },
  path: { type: 'path', required: true },
  backup: { type: 'bool', default: false },
  return_content: { type: 'bool', default: false },
} satisfies ArgSpec;

export const privateKeySpec = {
  ...FILE_MODULE,
  size: { type: 'int', default: 4096 },
  type: { type: 'str', default: 'RSA', choices: ['DSA', 'ECC', 'Ed25519', 'Ed448', 'RSA', 'X25519', 'X448'] },
  curve: { type: 'str', choices: CURVE_CHOICES },
  passphrase: { type: 'str', noLog: true },
  cipher: { type: 'str' },
  format: { type: 'str', default: 'auto_ignore', choices: ['pkcs1', 'pkcs8', 'raw', 'auto', 'auto_ignore'] },
  format_mismatch: { type: 'str', default: 'regenerate', choices: ['regenerate', 'convert'] },
  select_crypto_backend: BACKEND,
  regenerate: { type: 'str', default: 'full_idempotence', choices: ['never', 'fail', 'partial_idempotence', 'full_idempotence', 'always'] },
} satisfies ArgSpec;

export const privateKeyConstraints: ArgConstraints = {
  requiredTogether: [['cipher', 'passphrase']],
  requiredIf: [['type', 'ECC', ['curve']]],
};

export const publicKeySpec = {
  ...FILE_MODULE,
  privatekey_path: { type: 'path' },
  privatekey_content: { type: 'str', noLog: true },
  format: { type: 'str', default: 'PEM', choices: ['OpenSSH', 'PEM'] },
  privatekey_passphrase: { type: 'str', noLog: true },
  select_crypto_backend: BACKEND,
} satisfies ArgSpec;

export const publicKeyConstraints: ArgConstraints = {
  requiredIf: [['state', 'present', ['privatekey_path', 'privatekey_content'], true]],
  mutuallyExclusive: [['privatekey_path', 'privatekey_content']],
};

/** openssl_csr and openssl_csr_pipe share these. */
const CSR_COMMON = {
  digest: { type: 'str', default: 'sha256' },
  privatekey_path: { type: 'path' },
  privatekey_content: { type: 'str', noLog: true },
  privatekey_passphrase: { type: 'str', noLog: true },
  version: { type: 'int', default: 1, choices: [1] },
  subject: { type: 'dict' },
  subject_ordered: { type: 'list', elements: 'dict' },
  country_name: { type: 'str', aliases: ['C', 'countryName'] },
  state_or_province_name: { type: 'str', aliases: ['ST', 'stateOrProvinceName'] },
  locality_name: { type: 'str', aliases: ['L', 'localityName'] },
  organization_name: { type: 'str', aliases: ['O', 'organizationName'] },
  organizational_unit_name: { type: 'str', aliases: ['OU', 'organizationalUnitName'] },
  common_name: { type: 'str', aliases: ['CN', 'commonName'] },
  email_address: { type: 'str', aliases: ['E', 'emailAddress'] },
  subject_alt_name: { type: 'list', elements: 'str', aliases: ['subjectAltName'] },
  subject_alt_name_critical: { type: 'bool', default: false, aliases: ['subjectAltName_critical'] },
  use_common_name_for_san: { type: 'bool', default: true, aliases: ['useCommonNameForSAN'] },
  key_usage: { type: 'list', elements: 'str', aliases: ['keyUsage'] },
  key_usage_critical: { type: 'bool', default: false, aliases: ['keyUsage_critical'] },
  extended_key_usage: { type: 'list', elements: 'str', aliases: ['extKeyUsage', 'extendedKeyUsage'] },
  extended_key_usage_critical: { type: 'bool', default: false, aliases: ['extKeyUsage_critical', 'extendedKeyUsage_critical'] },
  basic_constraints: { type: 'list', elements: 'str', aliases: ['basicConstraints'] },
  basic_constraints_critical: { type: 'bool', default: false, aliases: ['basicConstraints_critical'] },
  ocsp_must_staple: { type: 'bool', default: false, aliases: ['ocspMustStaple'] },
  ocsp_must_staple_critical: { type: 'bool', default: false, aliases: ['ocspMustStaple_critical'] },
  name_constraints_permitted: { type: 'list', elements: 'str' },
  name_constraints_excluded: { type: 'list', elements: 'str' },
  name_constraints_critical: { type: 'bool', default: false },
  create_subject_key_identifier: { type: 'bool', default: false },
  subject_key_identifier: { type: 'str' },
  authority_key_identifier: { type: 'str' },
  authority_cert_issuer: { type: 'list', elements: 'str' },
  authority_cert_serial_number: { type: 'int' },
  crl_distribution_points: {
    type: 'list',
    elements: 'dict',
    options: {
      full_name: { type: 'list', elements: 'str' },
      relative_name: { type: 'list', elements: 'str' },
      crl_issuer: { type: 'list', elements: 'str' },
      reasons: {
        type: 'list',
        elements: 'str',
        choices: ['key_compromise', 'ca_compromise', 'affiliation_changed', 'superseded', 'cessation_of_operation', 'certificate_hold', 'privilege_withdrawn', 'aa_compromise'],
      },
    },
  },
  select_crypto_backend: BACKEND,
} satisfies ArgSpec;

const CSR_CONSTRAINTS = {
  requiredTogether: [['authority_cert_issuer', 'authority_cert_serial_number']],
  mutuallyExclusive: [['privatekey_path', 'privatekey_content'], ['subject', 'subject_ordered']],
} as const;

export const csrSpec = { ...FILE_MODULE, ...CSR_COMMON } satisfies ArgSpec;
export const csrConstraints: ArgConstraints = {
  ...CSR_CONSTRAINTS,
  requiredIf: [['state', 'present', ['privatekey_path', 'privatekey_content'], true]],
};

export const csrPipeSpec = { ...CSR_COMMON, content: { type: 'str' } } satisfies ArgSpec;
export const csrPipeConstraints: ArgConstraints = { ...CSR_CONSTRAINTS, requiredOneOf: [['privatekey_path', 'privatekey_content']] };

/** x509_certificate's provider options (selfsigned and ownca; acme and entrust are not implemented). */
const CERT_COMMON = {
  provider: { type: 'str', choices: ['acme', 'entrust', 'ownca', 'selfsigned'] },
  force: { type: 'bool', default: false },
  csr_path: { type: 'path' },
  csr_content: { type: 'str' },
  ignore_timestamps: { type: 'bool', default: true },
  select_crypto_backend: BACKEND,
  privatekey_path: { type: 'path' },
  privatekey_content: { type: 'str', noLog: true },
  privatekey_passphrase: { type: 'str', noLog: true },
  ownca_path: { type: 'path' },
  ownca_content: { type: 'str' },
  ownca_privatekey_path: { type: 'path' },
  ownca_privatekey_content: { type: 'str', noLog: true },
  ownca_privatekey_passphrase: { type: 'str', noLog: true },
  ownca_digest: { type: 'str', default: 'sha256' },
  ownca_version: { type: 'int', default: 3 },
  ownca_not_before: { type: 'str', default: '+0s' },
  ownca_not_after: { type: 'str', default: '+3650d' },
  ownca_create_subject_key_identifier: { type: 'str', default: 'create_if_not_provided', choices: ['create_if_not_provided', 'always_create', 'never_create'] },
  ownca_create_authority_key_identifier: { type: 'bool', default: true },
  selfsigned_version: { type: 'int', default: 3 },
  selfsigned_digest: { type: 'str', default: 'sha256' },
  selfsigned_not_before: { type: 'str', default: '+0s', aliases: ['selfsigned_notBefore'] },
  selfsigned_not_after: { type: 'str', default: '+3650d', aliases: ['selfsigned_notAfter'] },
  selfsigned_create_subject_key_identifier: { type: 'str', default: 'create_if_not_provided', choices: ['create_if_not_provided', 'always_create', 'never_create'] },
} satisfies ArgSpec;

const CERT_EXCLUSIVE = [
  ['csr_path', 'csr_content'], ['privatekey_path', 'privatekey_content'], ['ownca_path', 'ownca_content'], ['ownca_privatekey_path', 'ownca_privatekey_content'],
] as const;

export const certificateSpec = {
  ...FILE_MODULE,
  ...CERT_COMMON,
} satisfies ArgSpec;
export const certificateConstraints: ArgConstraints = {
  mutuallyExclusive: CERT_EXCLUSIVE,
  requiredIf: [['state', 'present', ['provider']]],
};

export const certificatePipeSpec = {
  ...CERT_COMMON,
  provider: { type: 'str', required: true, choices: ['entrust', 'ownca', 'selfsigned'] },
  content: { type: 'str' },
} satisfies ArgSpec;
export const certificatePipeConstraints: ArgConstraints = { mutuallyExclusive: CERT_EXCLUSIVE };

export const certificateInfoSpec = {
  path: { type: 'path' },
  content: { type: 'str' },
  valid_at: { type: 'dict' },
  name_encoding: { type: 'str', default: 'ignore', choices: ['ignore', 'idna', 'unicode'] },
  select_crypto_backend: BACKEND,
} satisfies ArgSpec;

export const privateKeyInfoSpec = {
  path: { type: 'path' },
  content: { type: 'str', noLog: true },
  passphrase: { type: 'str', noLog: true },
  return_private_key_data: { type: 'bool', default: false },
  check_consistency: { type: 'bool', default: false },
  select_crypto_backend: BACKEND,
} satisfies ArgSpec;

export const infoConstraints: ArgConstraints = { requiredOneOf: [['path', 'content']], mutuallyExclusive: [['path', 'content']] };
