// CryptoError: community.crypto's OpenSSLObjectError; the module fails with its message.
import { ModuleFail } from '../common/fail';

export class CryptoError extends ModuleFail {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, extra);
    this.name = 'CryptoError';
  }
}
