// Distinguished names and general names: the subject a task asks for (country_name...,
// subject, subject_ordered) as ASN.1 Names with cryptography's string types, and
// "DNS:/IP:/email:/URI:/RID:/dirName:" strings to GeneralNames and back.
import * as net from 'net';
import { domainToASCII } from 'url';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, GeneralName, Name, OtherName, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { isDict } from '../../template/pyvalues';
import { CryptoError } from './errors';
import { nameToOid, OID, oidToName, UnknownOidError } from './oids';

/** [attribute name as the task wrote it, value] */
export type NameEntry = readonly [string, string];

const TOP_LEVEL_FIELDS: readonly (readonly [string, string])[] = [
  ['C', 'country_name'], ['ST', 'state_or_province_name'], ['L', 'locality_name'], ['O', 'organization_name'],
  ['OU', 'organizational_unit_name'], ['CN', 'common_name'], ['emailAddress', 'email_address'],
];

function parseNameField(input: unknown, field: string): NameEntry[] {
  const out: NameEntry[] = [];
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v !== 'string') throw new CryptoError(`Values ${key} in ${field} must be strings`);
        if (!v) throw new CryptoError(`Values for ${key} in ${field} must not be empty strings`);
        out.push([key, v]);
      }
    } else if (typeof value === 'string') {
      if (!value) throw new CryptoError(`Value for ${key} in ${field} must not be an empty string`);
      out.push([key, value]);
    } else {
      throw new CryptoError(`Value for ${key} in ${field} must be either a string or a list of strings`);
    }
  }
  return out;
}

/** The subject of openssl_csr's arguments, in community.crypto's order; `ordered` when subject_ordered was used. */
export function subjectFromArgs(args: Record<string, unknown>): { entries: NameEntry[]; ordered: boolean } {
  let entries: NameEntry[] = [];
  for (const [short, param] of TOP_LEVEL_FIELDS) {
    const v = args[param];
    if (v !== null && v !== undefined && v !== '') entries.push([short, String(v)]);
  }
  if (isDict(args.subject) && Object.keys(args.subject).length) entries = entries.concat(parseNameField(args.subject, 'subject'));
  const ordered = args.subject_ordered;
  if (Array.isArray(ordered) && ordered.length) {
    if (entries.length) throw new CryptoError('subject_ordered cannot be combined with any other subject field');
    ordered.forEach((item, i) => {
      if (!isDict(item) || Object.keys(item).length !== 1) {
        throw new CryptoError(`Entry #${i + 1} in subject_ordered must be a dictionary with exactly one key-value pair`);
      }
      try {
        entries.push(...parseNameField(item, 'subject_ordered'));
      } catch (e) {
        throw new CryptoError(`Error while processing entry #${i + 1} in subject_ordered: ${(e as Error).message}`);
      }
    });
    return { entries, ordered: true };
  }
  return { entries, ordered: false };
}

export function oidOf(name: string): string {
  try {
    return nameToOid(name);
  } catch (e) {
    if (e instanceof UnknownOidError) throw new CryptoError(e.message);
    throw e;
  }
}

/** cryptography's default string type per attribute: PrintableString, IA5String or UTF8String. */
function attributeValue(oid: string, value: string): AttributeValue {
  if (oid === OID.countryName || oid === OID.jurisdictionCountryName) {
    if (value.length !== 2) throw new CryptoError('Country name must be a 2 character country code');
    return new AttributeValue({ printableString: value });
  }
  if (oid === OID.serialNumber || oid === OID.dnQualifier) return new AttributeValue({ printableString: value });
  if (oid === OID.emailAddress || oid === OID.domainComponent) return new AttributeValue({ ia5String: value });
  return new AttributeValue({ utf8String: value });
}

/** An ASN.1 Name with one attribute per RDN, in the given order. */
export function buildName(entries: readonly NameEntry[]): Name {
  return new Name(
    entries.map(([name, value]) => {
      const oid = oidOf(name);
      return new RelativeDistinguishedName([new AttributeTypeAndValue({ type: oid, value: attributeValue(oid, value) })]);
    }),
  );
}

/** A Name's attributes in order as [oid, value]. */
export function readName(name: Name): [string, string][] {
  const out: [string, string][] = [];
  for (const rdn of name) for (const attr of rdn) out.push([attr.type, attr.value.toString()]);
  return out;
}

/** community.crypto's subject/issuer list: [[long name, value], ...]. */
export function namedAttributes(name: Name): [string, string][] {
  return readName(name).map(([oid, v]) => [oidToName(oid), v]);
}

/** RFC 4514-ish text of a Name for messages and dirName: short names, last RDN first. */
export function nameToDn(name: Name): string {
  return readName(name)
    .reverse()
    .map(([oid, v]) => `${oidToName(oid, true)}=${v.replace(/([\\,+"<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ')}`)
    .join(',');
}

export function sameName(a: Name, b: Name): boolean {
  return Buffer.from(AsnConvert.serialize(normalizedName(a))).equals(Buffer.from(AsnConvert.serialize(normalizedName(b))));
}

/** Names compare by attribute type and value, not by string encoding (as cryptography compares them). */
function normalizedName(n: Name): Name {
  return new Name(
    [...n].map((rdn) => new RelativeDistinguishedName([...rdn].map((a) => new AttributeTypeAndValue({ type: a.type, value: new AttributeValue({ utf8String: a.value.toString() }) })))),
  );
}

function sanError(what: string, name: string, error: string): CryptoError {
  return new CryptoError(`Cannot parse ${what} "${name}": ${error}`);
}

/** Python's ipaddress text of an address (compressed IPv6). */
function canonicalIp(text: string, what: string, full: string): string {
  const kind = net.isIP(text);
  if (kind === 0) throw sanError(what, full, `'${text}' does not appear to be an IPv4 or IPv6 address`);
  if (kind === 4) return text;
  const sock = new net.SocketAddress({ address: text, family: 'ipv6' });
  return sock.address;
}

function parseDn(text: string, what: string, full: string): Name {
  const parts = text.split(/(?<!\\),/).filter((p) => p !== '');
  const entries: NameEntry[] = parts.map((p) => {
    const i = p.search(/(?<!\\)=/);
    if (i < 0) throw sanError(what, full, `Unexpected end of string`);
    return [p.slice(0, i).trim(), p.slice(i + 1).replace(/\\(.)/g, '$1')] as const;
  });
  return buildName(entries.reverse());
}

/** A GeneralName from community.crypto's "TYPE:value" notation. */
export function parseGeneralName(text: string, what = 'Subject Alternative Name'): GeneralName {
  const after = (p: string): string => text.slice(p.length);
  if (text.startsWith('DNS:')) {
    const v = after('DNS:');
    const ascii = /^[\x00-\x7f]*$/.test(v) ? v : domainToASCII(v);
    if (!ascii && v) throw sanError(what, text, 'invalid IDNA name');
    return new GeneralName({ dNSName: ascii });
  }
  if (text.startsWith('IP:')) {
    const v = after('IP:');
    if (v.includes('/')) {
      const [addr = '', prefix = ''] = v.split('/');
      const ip = canonicalIp(addr, what, text);
      if (!/^\d+$/.test(prefix) || Number(prefix) > (net.isIP(ip) === 4 ? 32 : 128)) throw sanError(what, text, `invalid network ${v}`);
      return new GeneralName({ iPAddress: `${ip}/${prefix}` });
    }
    return new GeneralName({ iPAddress: canonicalIp(v, what, text) });
  }
  if (text.startsWith('email:')) return new GeneralName({ rfc822Name: after('email:') });
  if (text.startsWith('URI:')) return new GeneralName({ uniformResourceIdentifier: after('URI:') });
  if (text.startsWith('RID:')) {
    const v = after('RID:');
    if (!/^[0-9]+(?:\.[0-9]+)*$/.test(v)) throw new CryptoError(`Cannot parse ${what} "${text}"`);
    return new GeneralName({ registeredID: v });
  }
  if (text.startsWith('dirName:')) return new GeneralName({ directoryName: parseDn(after('dirName:'), what, text) });
  if (text.startsWith('otherName:')) {
    const m = /^([0-9]+(?:\.[0-9]+)*);([0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2})*)$/.exec(after('otherName:'));
    if (!m) throw new CryptoError(`Cannot parse ${what} otherName "${after('otherName:')}", must be in the format "otherName:<OID>;<hex string>"`);
    const bytes = Buffer.from((m[2] as string).split(':').map((h) => h.padStart(2, '0')).join(''), 'hex');
    return new GeneralName({ otherName: new OtherName({ typeId: m[1] as string, value: new Uint8Array(bytes).buffer }) });
  }
  if (!text.includes(':')) throw new CryptoError(`Cannot parse ${what} "${text}" (forgot "DNS:" prefix?)`);
  throw new CryptoError(`Cannot parse ${what} "${text}" (potentially unsupported by cryptography backend)`);
}

/** community.crypto's text of a GeneralName ("DNS:example.com", "IP:10.0.0.1"). */
export function formatGeneralName(n: GeneralName): string {
  if (n.dNSName !== undefined) return `DNS:${n.dNSName}`;
  if (n.iPAddress !== undefined) return `IP:${n.iPAddress}`;
  if (n.rfc822Name !== undefined) return `email:${n.rfc822Name}`;
  if (n.uniformResourceIdentifier !== undefined) return `URI:${n.uniformResourceIdentifier}`;
  if (n.directoryName !== undefined) return `dirName:${nameToDn(n.directoryName)}`;
  if (n.registeredID !== undefined) return `RID:${n.registeredID}`;
  if (n.otherName !== undefined) {
    const hex = Buffer.from(n.otherName.value).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
    return `otherName:${n.otherName.typeId};${hex}`;
  }
  return 'unknown:';
}
