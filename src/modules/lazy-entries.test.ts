// Lazily registered modules: the names the registry knows before loading are the definition's own.
import { cryptoModules } from './crypto';
import { defaultRegistry } from './registry';

test.each(cryptoModules.map((e) => [e.name, e] as const))('%s: lazy entry names match its definition', (_name, entry) => {
  const def = entry.load();
  expect({ name: def.name, fqcns: [...(def.fqcns ?? [])] }).toEqual({ name: entry.name, fqcns: [...(entry.fqcns ?? [])] });
  expect(typeof def.run).toBe('function');
});

test('the registry resolves a lazy entry by short name and FQCN to the loaded definition', () => {
  const registry = defaultRegistry();
  expect(registry.resolveName('community.crypto.openssl_privatekey')).toBe('openssl_privatekey');
  const def = registry.get('community.crypto.x509_certificate');
  expect(def?.name).toBe('x509_certificate');
  expect(typeof def?.run).toBe('function');
  expect(registry.get('x509_certificate')).toBe(def);
  expect(registry.names()).toContain('openssl_csr_info');
});
