// URI tests as Ansible 2.14 defines them over urllib.parse.urlparse: uri (any scheme, or one
// of a list), url (a uri with a network location, or file:), urn.
import type { TestFn } from '../plugin-types';
import { pyStr } from '../pyvalues';
import { splitUrl } from '../filters/misc';

function schemeOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return (splitUrl(value)[1] ?? '').toLowerCase();
}

const isUri: TestFn = (_ctx, value, args, kwargs) => {
  const scheme = schemeOf(value);
  if (scheme === undefined) return false;
  const schemes = args[0] ?? kwargs.schemes;
  if (!schemes) return true;
  return Array.isArray(schemes) ? schemes.map((x) => pyStr(x)).includes(scheme) : pyStr(schemes).includes(scheme);
};

const isUrl: TestFn = (ctx, value, args, kwargs) => {
  if (!isUri(ctx, value, args, kwargs)) return false;
  const m = splitUrl(value as string);
  return Boolean(m[2]) || (m[1] ?? '').toLowerCase() === 'file';
};

export const uriTests = {
  uri: isUri,
  url: isUrl,
  urn: (ctx, value) => isUri(ctx, value, [['urn']], {}),
} satisfies Record<string, TestFn>;
