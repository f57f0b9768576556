// The community.crypto modules group: keys, CSRs and certificates made on the controller,
// written to (and read from) the target. Registered lazily: their ASN.1 libraries load only when
// a task uses one of them (`lazy-entries.test.ts` checks the names against the definitions).
import type { LazyModuleEntry } from '../registry';

type Defs = typeof import('./openssl-csr') & typeof import('./openssl-privatekey') & typeof import('./openssl-publickey') &
  typeof import('./info-modules') & typeof import('./x509-certificate');
const defs = (): Defs => ({
  ...(require('./openssl-csr') as typeof import('./openssl-csr')),
  ...(require('./openssl-privatekey') as typeof import('./openssl-privatekey')),
  ...(require('./openssl-publickey') as typeof import('./openssl-publickey')),
  ...(require('./info-modules') as typeof import('./info-modules')),
  ...(require('./x509-certificate') as typeof import('./x509-certificate')),
});

const entry = (name: string, pick: (d: Defs) => ReturnType<LazyModuleEntry['load']>): LazyModuleEntry => ({
  name,
  fqcns: [`community.crypto.${name}`],
  load: () => pick(defs()),
});

export const cryptoModules: LazyModuleEntry[] = [
  entry('openssl_privatekey', (d) => d.opensslPrivateKeyModule),
  entry('openssl_publickey', (d) => d.opensslPublicKeyModule),
  entry('openssl_csr', (d) => d.opensslCsrModule),
  entry('openssl_csr_pipe', (d) => d.opensslCsrPipeModule),
  entry('x509_certificate', (d) => d.x509CertificateModule),
  entry('x509_certificate_pipe', (d) => d.x509CertificatePipeModule),
  entry('x509_certificate_info', (d) => d.x509CertificateInfoModule),
  entry('openssl_csr_info', (d) => d.opensslCsrInfoModule),
  entry('openssl_privatekey_info', (d) => d.opensslPrivateKeyInfoModule),
];
