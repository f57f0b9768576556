// The community.crypto modules group: keys, CSRs and certificates made on the controller,
// written to (and read from) the target.
import type { ModuleDef } from '../types';
import { opensslCsrModule, opensslCsrPipeModule } from './openssl-csr';
import { opensslPrivateKeyModule } from './openssl-privatekey';
import { opensslPublicKeyModule } from './openssl-publickey';
import { opensslCsrInfoModule, opensslPrivateKeyInfoModule, x509CertificateInfoModule } from './info-modules';
import { x509CertificateModule, x509CertificatePipeModule } from './x509-certificate';

export const cryptoModules = [
  opensslPrivateKeyModule, opensslPublicKeyModule, opensslCsrModule, opensslCsrPipeModule, x509CertificateModule,
  x509CertificatePipeModule, x509CertificateInfoModule, opensslCsrInfoModule, opensslPrivateKeyInfoModule,
] satisfies ModuleDef[];
