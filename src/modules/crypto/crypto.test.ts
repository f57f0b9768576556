// community.crypto modules: the pure pieces as data (time specs, names, usages, key formats,
// regeneration policy), then the modules on the local connection, checked with the openssl CLI.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeTestContext } from '../testing';
import type { ModuleDef } from '../types';
import { validateArgs } from '../args';
import { parseBasicConstraints, keyUsageBits, keyUsageNames } from './extensions';
import { generatePrivateKey, identifyKeyFormat, serializePrivateKey } from './keys';
import type { KeyType } from './keys';
import { formatGeneralName, parseGeneralName, subjectFromArgs } from './names';
import { needsRegeneration } from './openssl-privatekey';
import { parseTimeSpec } from './timespec';
import { cryptoModules } from '.';

const NOW = new Date(Date.UTC(2030, 0, 15, 12, 0, 0));

describe('time specs', () => {
  test.each([
    ['+0s', '2030-01-15T12:00:00.000Z'],
    ['+3650d', '2040-01-13T12:00:00.000Z'],
    ['-1w2d', '2030-01-06T12:00:00.000Z'],
    ['+1h30m', '2030-01-15T13:30:00.000Z'],
    ['+90', '2030-01-15T12:01:30.000Z'],
    ['20301231235959Z', '2030-12-31T23:59:59.000Z'],
    ['203012312359Z', '2030-12-31T23:59:00.000Z'],
    ['20301231235959+0100', '2030-12-31T22:59:59.000Z'],
  ])('%s', (spec, iso) => expect(parseTimeSpec(spec, 'x', NOW).toISOString()).toBe(iso));
  test.each(['+', 'tomorrow', '2030-12-31'])('%s is refused', (spec) => {
    expect(() => parseTimeSpec(spec, 'ownca_not_after', NOW)).toThrow(`The time spec "${spec}" for ownca_not_after is invalid`);
  });
});

describe('general names', () => {
  test.each([
    ['DNS:kubernetes.default', 'DNS:kubernetes.default'],
    ['IP:10.32.0.1', 'IP:10.32.0.1'],
    ['IP:fd00:0:0::1', 'IP:fd00::1'],
    ['IP:10.0.0.0/8', 'IP:10.0.0.0/8'],
    ['email:admin@example.com', 'email:admin@example.com'],
    ['URI:https://example.com/x', 'URI:https://example.com/x'],
    ['RID:1.2.3.4', 'RID:1.2.3.4'],
    ['dirName:CN=a,O=b', 'dirName:CN=a,O=b'],
  ])('%s', (text, back) => expect(formatGeneralName(parseGeneralName(text))).toBe(back));
  test.each([
    ['example.com', 'Cannot parse Subject Alternative Name "example.com" (forgot "DNS:" prefix?)'],
    ['IP:10.0.0.300', `Cannot parse Subject Alternative Name "IP:10.0.0.300": '10.0.0.300' does not appear to be an IPv4 or IPv6 address`],
    ['foo:bar', 'Cannot parse Subject Alternative Name "foo:bar" (potentially unsupported by cryptography backend)'],
  ])('%s is refused', (text, msg) => expect(() => parseGeneralName(text)).toThrow(msg));
});

describe('subjects, usages, constraints', () => {
  test('top-level fields come first in community.crypto order, then subject', () => {
    const s = subjectFromArgs({ common_name: 'n', country_name: 'DE', organization_name: 'o', subject: { OU: ['a', 'b'] } });
    expect(s).toEqual({ entries: [['C', 'DE'], ['O', 'o'], ['CN', 'n'], ['OU', 'a'], ['OU', 'b']], ordered: false });
  });
  test('subject_ordered cannot be mixed', () => {
    expect(() => subjectFromArgs({ common_name: 'n', subject_ordered: [{ O: 'x' }] })).toThrow('subject_ordered cannot be combined with any other subject field');
  });
  test.each([
    [['digitalSignature', 'Key Encipherment'], ['Digital Signature', 'Key Encipherment']],
    [['keyCertSign', 'cRLSign'], ['CRL Sign', 'Certificate Sign']],
    [['encipherOnly'], []],
    [['keyAgreement', 'encipherOnly'], ['Encipher Only', 'Key Agreement']],
  ])('key usage %j', (given, names) => expect(keyUsageNames(keyUsageBits(given))).toEqual(names));
  test.each([
    [['CA:TRUE'], { ca: true, pathLength: null }],
    [['CA:FALSE', 'pathlen:0'], { ca: false, pathLength: 0 }],
  ])('basic constraints %j', (given, want) => expect(parseBasicConstraints(given)).toEqual(want));
  test('bad basic constraint', () => expect(() => parseBasicConstraints(['CA:YES'])).toThrow('Unknown basic constraint value "YES" for CA'));
});

describe('private key formats and regeneration policy', () => {
  const rsa = generatePrivateKey('RSA', 1024, null);
  const ec = generatePrivateKey('ECC', 0, 'secp256r1');
  const pem = (k = rsa, f: 'pkcs1' | 'pkcs8' = 'pkcs1', pass: string | null = null) => serializePrivateKey(k, f, pass);
  const want = (over: Record<string, unknown> = {}) =>
    ({ type: 'RSA', size: 1024, curve: null, passphrase: null, cipher: null, format: 'auto_ignore', formatMismatch: 'regenerate', regenerate: 'full_idempotence', ...over }) as Parameters<typeof needsRegeneration>[1];

  test.each([
    [pem(), 'pkcs1'],
    [pem(rsa, 'pkcs8'), 'pkcs8'],
    [pem(ec), 'pkcs1'],
    [Buffer.from('-----BEGIN CERTIFICATE-----\n'), 'unknown-pem'],
    [Buffer.alloc(32, 1), 'raw'],
  ])('format of %#', (bytes, fmt) => expect(identifyKeyFormat(bytes)).toBe(fmt));

  test.each([
    ['no key yet', null, want(), true],
    ['same type and size', pem(), want(), false],
    ['other size', pem(), want({ size: 2048 }), true],
    ['other type', pem(), want({ type: 'ECC', curve: 'secp256r1' }), true],
    ['same curve', pem(ec), want({ type: 'ECC', curve: 'secp256r1' }), false],
    ['other curve', pem(ec), want({ type: 'ECC', curve: 'secp384r1' }), true],
    ['pkcs8 asked, pkcs1 there', pem(), want({ format: 'pkcs8' }), true],
    ['pkcs8 asked, convert', pem(), want({ format: 'pkcs8', formatMismatch: 'convert' }), false],
    ['passphrase now asked', pem(), want({ passphrase: 'x', cipher: 'auto' }), true],
    ['encrypted, same passphrase', pem(rsa, 'pkcs1', 'x'), want({ passphrase: 'x', cipher: 'auto' }), false],
    ['never: wrong size kept', pem(), want({ size: 2048, regenerate: 'never' }), false],
    ['always', pem(), want({ regenerate: 'always' }), true],
  ])('%s', (_name, existing, w, expected) => expect(needsRegeneration(existing, w)).toBe(expected));

  test.each([
    ['fail: wrong size', pem(), want({ size: 2048, regenerate: 'fail' }), 'Key has wrong type and/or size.'],
    ['partial: unreadable', Buffer.from('junk'), want({ regenerate: 'partial_idempotence' }), 'Unable to read the key.'],
  ])('%s fails', (_name, existing, w, msg) => expect(() => needsRegeneration(existing, w)).toThrow(msg));

  test('every supported key type generates', () => {
    for (const t of ['RSA', 'DSA', 'ECC', 'Ed25519', 'Ed448', 'X25519', 'X448'] as KeyType[]) expect(() => generatePrivateKey(t, 1024, 'secp256r1')).not.toThrow();
  });
});

// ---- modules on the local connection ----

const mod = (name: string): ModuleDef => (cryptoModules.find((m) => m.name === name) as (typeof cryptoModules)[number]).load();

async function run(name: string, args: Record<string, unknown>, opts: { check?: boolean } = {}) {
  const m = mod(name);
  const ctx = makeTestContext({ check: opts.check ?? false });
  return m.run(validateArgs(name, m.spec, args, m.constraints), ctx);
}

function openssl(...args: string[]): { rc: number; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { rc: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

describe('modules on the local connection', () => {
  let dir: string;
  const p = (f: string) => path.join(dir, f);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsible-crypto-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function makeCa(type: 'RSA' | 'ECC' = 'ECC') {
    await run('openssl_privatekey', { path: p('ca.key'), type, size: 2048, curve: 'secp256r1' });
    await run('openssl_csr', {
      path: p('ca.csr'), privatekey_path: p('ca.key'), common_name: 'test-ca', basic_constraints: ['CA:TRUE'], basic_constraints_critical: true,
      key_usage: ['keyCertSign', 'cRLSign'], key_usage_critical: true, use_common_name_for_san: false,
    });
    return run('x509_certificate', { path: p('ca.pem'), csr_path: p('ca.csr'), privatekey_path: p('ca.key'), provider: 'selfsigned' });
  }

  async function makeLeaf(sans: string[], extra: Record<string, unknown> = {}) {
    await run('openssl_privatekey', { path: p('leaf.key'), type: 'ECC', curve: 'secp256r1' });
    const csr = await run('openssl_csr', {
      path: p('leaf.csr'), privatekey_path: p('leaf.key'), common_name: 'kube-apiserver', subject_alt_name: sans,
      extended_key_usage: ['serverAuth', 'clientAuth'], key_usage: ['digitalSignature', 'keyEncipherment'],
    });
    const cert = await run('x509_certificate', {
      path: p('leaf.pem'), csr_path: p('leaf.csr'), ownca_path: p('ca.pem'), ownca_privatekey_path: p('ca.key'), provider: 'ownca', ...extra,
    });
    return { csr, cert };
  }

  test('a CA and a certificate it signs: openssl verifies the chain and reads the fields', async () => {
    for (const type of ['RSA', 'ECC'] as const) {
      expect((await makeCa(type)).changed).toBe(true);
      const { cert } = await makeLeaf(['DNS:kubernetes', 'IP:10.32.0.1']);
      expect(cert).toMatchObject({ changed: true, ca_cert: p('ca.pem') });
      expect(openssl('verify', '-CAfile', p('ca.pem'), p('leaf.pem')).out).toContain(': OK');
      const text = openssl('x509', '-in', p('leaf.pem'), '-noout', '-text').out;
      expect(text).toContain('Subject: CN = kube-apiserver');
      expect(text).toContain('Issuer: CN = test-ca');
      expect(text).toContain('DNS:kubernetes, IP Address:10.32.0.1');
      expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
      expect(text).toContain('X509v3 Authority Key Identifier');
      expect(openssl('x509', '-in', p('ca.pem'), '-noout', '-text').out).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
      expect(fs.statSync(p('leaf.key')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(p('leaf.pem')).mode & 0o777).toBe(0o644 & ~process.umask());
      fs.rmSync(p('leaf.key'));
    }
  });

  test('idempotent; a changed SAN list re-issues CSR and certificate; a foreign CA fails to verify', async () => {
    await makeCa();
    await makeLeaf(['DNS:a']);
    const before = fs.readFileSync(p('leaf.pem'));
    const again = await makeLeaf(['DNS:a']);
    expect([again.csr.changed, again.cert.changed]).toEqual([false, false]);
    expect(fs.readFileSync(p('leaf.pem')).equals(before)).toBe(true);
    const changed = await makeLeaf(['DNS:a', 'DNS:b']);
    expect([changed.csr.changed, changed.cert.changed]).toEqual([true, true]);
    expect(openssl('x509', '-in', p('leaf.pem'), '-noout', '-ext', 'subjectAltName').out).toContain('DNS:a, DNS:b');
    fs.renameSync(p('ca.pem'), p('old-ca.pem'));
    fs.rmSync(p('ca.key'));
    await makeCa();
    expect(openssl('verify', '-CAfile', p('ca.pem'), p('leaf.pem')).rc).not.toBe(0);
    expect((await makeLeaf(['DNS:a', 'DNS:b'])).cert.changed).toBe(true);
    expect(openssl('verify', '-CAfile', p('ca.pem'), p('leaf.pem')).rc).toBe(0);
  });

  test('check mode changes nothing; force re-issues; backup keeps the old file', async () => {
    const checked = await run('openssl_privatekey', { path: p('k.key'), type: 'Ed25519' }, { check: true });
    expect(checked.changed).toBe(true);
    expect(fs.existsSync(p('k.key'))).toBe(false);
    await makeCa();
    const caBefore = fs.readFileSync(p('ca.pem'));
    const forced = await run('x509_certificate', { path: p('ca.pem'), privatekey_path: p('ca.key'), csr_path: p('ca.csr'), provider: 'selfsigned', force: true, backup: true });
    expect(forced.changed).toBe(true);
    expect(fs.readFileSync(forced.backup_file as string).equals(caBefore)).toBe(true);
    expect(fs.readFileSync(p('ca.pem')).equals(caBefore)).toBe(false);
    const current = fs.readFileSync(p('ca.pem'));
    const inCheck = await run('x509_certificate', { path: p('ca.pem'), privatekey_path: p('ca.key'), csr_path: p('ca.csr'), provider: 'selfsigned', force: true }, { check: true });
    expect(inCheck.changed).toBe(true);
    expect(fs.readFileSync(p('ca.pem')).equals(current)).toBe(true);
  });

  test('a kept key only gets its mode fixed; passphrases are honoured', async () => {
    await run('openssl_privatekey', { path: p('m.key'), type: 'ECC', curve: 'secp256r1', passphrase: 'pw', cipher: 'auto' });
    const content = fs.readFileSync(p('m.key'));
    expect(content.toString()).toContain('Proc-Type: 4,ENCRYPTED');
    expect(openssl('pkey', '-in', p('m.key'), '-passin', 'pass:pw', '-noout').rc).toBe(0);
    const r = await run('openssl_privatekey', { path: p('m.key'), type: 'ECC', curve: 'secp256r1', passphrase: 'pw', cipher: 'auto', mode: '0640' });
    expect(r.changed).toBe(true);
    expect(fs.readFileSync(p('m.key')).equals(content)).toBe(true);
    expect(fs.statSync(p('m.key')).mode & 0o777).toBe(0o640);
    const pub = await run('openssl_publickey', { path: p('m.pub'), privatekey_path: p('m.key'), privatekey_passphrase: 'pw' });
    expect(pub.changed).toBe(true);
    expect(openssl('pkey', '-pubin', '-in', p('m.pub'), '-noout').rc).toBe(0);
    const wrong = await run('openssl_publickey', { path: p('m2.pub'), privatekey_path: p('m.key'), privatekey_passphrase: 'nope' });
    expect(wrong).toMatchObject({ failed: true, msg: 'Wrong passphrase provided for private key' });
  });

  test('info modules read what the others wrote', async () => {
    await makeCa('RSA');
    await makeLeaf(['DNS:worker1', 'IP:10.0.0.21']);
    const info = await run('x509_certificate_info', { path: p('leaf.pem'), valid_at: { now: '+0s', later: '+4000d' } });
    expect(info).toMatchObject({
      changed: false, subject: { commonName: 'kube-apiserver' }, issuer: { commonName: 'test-ca' }, subject_alt_name: ['DNS:worker1', 'IP:10.0.0.21'],
      key_usage: ['Digital Signature', 'Key Encipherment'], extended_key_usage: ['TLS Web Client Authentication', 'TLS Web Server Authentication'],
      signature_algorithm: 'sha256WithRSAEncryption', public_key_type: 'ECC', version: 3, valid_at: { now: true, later: false }, expired: false,
    });
    const key = await run('openssl_privatekey_info', { path: p('ca.key') });
    expect(key).toMatchObject({ can_load_key: true, can_parse_key: true, type: 'RSA', public_data: { size: 2048, exponent: 65537 } });
    const missing = await run('x509_certificate_info', { path: p('none.pem') });
    expect(missing).toMatchObject({ failed: true, msg: `Error while reading certificate file from disk: [Errno 2] No such file or directory: '${p('none.pem')}'` });
  });
});
