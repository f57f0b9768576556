// The vault and unvault filters: encrypt a string with a secret given in the template
// (vault id filter_default unless vaultid= names another), or decrypt one.
import { TemplateError } from '../../errors';
import { encryptVault, isVaultText } from '../../vault/envelope';
import { Vault } from '../../vault/secrets';
import { VaultedText } from '../../vault/vaulted-text';
import type { FilterFn } from '../plugin-types';
import { PyTypeError } from '../pyops';
import { isUndefined, pyStr, truthy } from '../pyvalues';
import { opt, requireDefined } from './helpers';

/** The class name Python would show for a value of the wrong type. */
function pyClass(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (v === null) return "<class 'NoneType'>";
  if (Array.isArray(v)) return "<class 'list'>";
  return "<class 'dict'>";
}

const isText = (v: unknown): boolean => typeof v === 'string' || isUndefined(v);

const vault: FilterFn = (_ctx, value, args, kwargs) => {
  const secret = opt<unknown>(args, kwargs, 0, 'secret', undefined);
  const salt = opt<unknown>(args, kwargs, 1, 'salt', null);
  const vaultId = pyStr(opt<unknown>(args, kwargs, 2, 'vaultid', 'filter_default'));
  const wrap = opt<unknown>(args, kwargs, 3, 'wrap_object', false);
  if (!isText(secret)) throw new PyTypeError(`Secret passed is required to be a string, instead we got: ${pyClass(secret)}`);
  if (!isText(value)) throw new PyTypeError(`Can only vault strings, instead we got: ${pyClass(value)}`);
  requireDefined(secret);
  requireDefined(value);
  if (salt !== null && pyStr(salt) === '') throw new TemplateError('Unable to encrypt: Empty or invalid salt passed');
  const saltBytes = salt === null ? undefined : Buffer.from(pyStr(salt), 'utf8');
  const text = encryptVault(Buffer.from(pyStr(value), 'utf8'), Buffer.from(pyStr(secret), 'utf8'), vaultId, saltBytes);
  return truthy(wrap) ? new VaultedText(text) : text;
};

const unvault: FilterFn = (_ctx, value, args, kwargs) => {
  const secret = opt<unknown>(args, kwargs, 0, 'secret', undefined);
  const vaultId = pyStr(opt<unknown>(args, kwargs, 1, 'vaultid', 'filter_default'));
  if (!isText(secret)) throw new PyTypeError(`Secret passed is required to be as string, instead we got: ${pyClass(secret)}`);
  if (!isText(value) && !(value instanceof VaultedText)) throw new PyTypeError(`Vault should be in the form of a string, instead we got: ${pyClass(value)}`);
  requireDefined(secret);
  requireDefined(value);
  const lib = new Vault([{ id: vaultId, password: Buffer.from(pyStr(secret), 'utf8') }]);
  if (value instanceof VaultedText) return value.decrypt(lib);
  const text = pyStr(value);
  if (!isVaultText(text)) return text;
  try {
    return lib.decrypt(text).toString('utf8');
  } catch (e) {
    const m = (e as Error).message;
    throw new TemplateError(`Unable to decrypt: ${m}. ${m}`);
  }
};

export const encryptionFilters = { vault, unvault } satisfies Record<string, FilterFn>;
