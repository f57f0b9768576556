// Object identifiers by name and back, with the names OpenSSL (and so community.crypto)
// uses: long name first, short name second. Only the OIDs X.509 modules meet.

/** [dotted OID, long name, short name?] */
const TABLE: readonly (readonly [string, string, string?])[] = [
  // distinguished name attributes
  ['2.5.4.3', 'commonName', 'CN'],
  ['2.5.4.4', 'surname', 'SN'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.6', 'countryName', 'C'],
  ['2.5.4.7', 'localityName', 'L'],
  ['2.5.4.8', 'stateOrProvinceName', 'ST'],
  ['2.5.4.9', 'streetAddress', 'street'],
  ['2.5.4.10', 'organizationName', 'O'],
  ['2.5.4.11', 'organizationalUnitName', 'OU'],
  ['2.5.4.12', 'title', 'title'],
  ['2.5.4.13', 'description'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.41', 'name', 'name'],
  ['2.5.4.42', 'givenName', 'GN'],
  ['2.5.4.43', 'initials', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.46', 'dnQualifier', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.72', 'role', 'role'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['1.2.840.113549.1.9.1', 'emailAddress'],
  ['0.9.2342.19200300.100.1.1', 'userId', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'domainComponent', 'DC'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionLocalityName', 'jurisdictionL'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionStateOrProvinceName', 'jurisdictionST'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionCountryName', 'jurisdictionC'],
  // extended key usages
  ['1.3.6.1.5.5.7.3.1', 'TLS Web Server Authentication', 'serverAuth'],
  ['1.3.6.1.5.5.7.3.2', 'TLS Web Client Authentication', 'clientAuth'],
  ['1.3.6.1.5.5.7.3.3', 'Code Signing', 'codeSigning'],
  ['1.3.6.1.5.5.7.3.4', 'E-mail Protection', 'emailProtection'],
  ['1.3.6.1.5.5.7.3.5', 'IPSec End System', 'ipsecEndSystem'],
  ['1.3.6.1.5.5.7.3.6', 'IPSec Tunnel', 'ipsecTunnel'],
  ['1.3.6.1.5.5.7.3.7', 'IPSec User', 'ipsecUser'],
  ['1.3.6.1.5.5.7.3.8', 'Time Stamping', 'timeStamping'],
  ['1.3.6.1.5.5.7.3.9', 'OCSP Signing', 'OCSPSigning'],
  ['1.3.6.1.5.5.7.3.17', 'ipsec Internet Key Exchange', 'ipsecIKE'],
  ['1.3.6.1.5.5.7.3.21', 'SSH Client', 'secureShellClient'],
  ['1.3.6.1.5.5.7.3.22', 'SSH Server', 'secureShellServer'],
  ['2.5.29.37.0', 'Any Extended Key Usage', 'anyExtendedKeyUsage'],
  // extensions
  ['2.5.29.14', 'X509v3 Subject Key Identifier', 'subjectKeyIdentifier'],
  ['2.5.29.15', 'X509v3 Key Usage', 'keyUsage'],
  ['2.5.29.17', 'X509v3 Subject Alternative Name', 'subjectAltName'],
  ['2.5.29.19', 'X509v3 Basic Constraints', 'basicConstraints'],
  ['2.5.29.30', 'X509v3 Name Constraints', 'nameConstraints'],
  ['2.5.29.31', 'X509v3 CRL Distribution Points', 'crlDistributionPoints'],
  ['2.5.29.35', 'X509v3 Authority Key Identifier', 'authorityKeyIdentifier'],
  ['2.5.29.37', 'X509v3 Extended Key Usage', 'extendedKeyUsage'],
  ['1.3.6.1.5.5.7.1.1', 'Authority Information Access', 'authorityInfoAccess'],
  ['1.3.6.1.5.5.7.1.24', 'TLS Feature', 'tlsfeature'],
  // key and signature algorithms
  ['1.2.840.113549.1.1.1', 'rsaEncryption'],
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption', 'RSA-MD5'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption', 'RSA-SHA1'],
  ['1.2.840.113549.1.1.11', 'sha256WithRSAEncryption', 'RSA-SHA256'],
  ['1.2.840.113549.1.1.12', 'sha384WithRSAEncryption', 'RSA-SHA384'],
  ['1.2.840.113549.1.1.13', 'sha512WithRSAEncryption', 'RSA-SHA512'],
  ['1.2.840.10040.4.1', 'dsaEncryption', 'DSA'],
  ['1.2.840.10040.4.3', 'dsaWithSHA1', 'DSA-SHA1'],
  ['2.16.840.1.101.3.4.3.2', 'dsa_with_SHA256'],
  ['1.2.840.10045.2.1', 'id-ecPublicKey'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
  ['1.2.840.10045.4.3.3', 'ecdsa-with-SHA384'],
  ['1.2.840.10045.4.3.4', 'ecdsa-with-SHA512'],
  ['1.3.101.110', 'X25519'],
  ['1.3.101.111', 'X448'],
  ['1.3.101.112', 'ED25519'],
  ['1.3.101.113', 'ED448'],
];

const BY_OID = new Map<string, readonly [string, string, string?]>(TABLE.map((row) => [row[0], row]));
const BY_NAME = new Map<string, string>();
for (const [oid, long, short] of TABLE) {
  BY_NAME.set(long, oid);
  if (short) BY_NAME.set(short, oid);
}
BY_NAME.set('userID', '0.9.2342.19200300.100.1.1');

const DOTTED = /^\d+(?:\.\d+)+$/;

export class UnknownOidError extends Error {}

/** OID for a name ('CN', 'commonName', 'serverAuth', or a dotted OID); throws on unknown names. */
export function nameToOid(name: string): string {
  const oid = BY_NAME.get(name);
  if (oid) return oid;
  if (DOTTED.test(name)) return name;
  throw new UnknownOidError(`Cannot find OID for "${name}"`);
}

/** The long name of an OID (as community.crypto reports it), or the dotted OID when unknown. */
export function oidToName(oid: string, short = false): string {
  const row = BY_OID.get(oid);
  if (!row) return oid;
  return short ? (row[2] ?? row[1]) : row[1];
}

export const OID = {
  commonName: '2.5.4.3',
  countryName: '2.5.4.6',
  serialNumber: '2.5.4.5',
  dnQualifier: '2.5.4.46',
  jurisdictionCountryName: '1.3.6.1.4.1.311.60.2.1.3',
  emailAddress: '1.2.840.113549.1.9.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  extensionRequest: '1.2.840.113549.1.9.14',
  ocspAccess: '1.3.6.1.5.5.7.48.1',
  caIssuersAccess: '1.3.6.1.5.5.7.48.2',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  dsa: '1.2.840.10040.4.1',
} as const;
