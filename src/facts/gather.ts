// gatherFacts: runs the probe script once for the requested collectors and assembles
// the fact dictionary (keys without the ansible_ prefix, as setup returns them).
import type { Connection } from '../connection/types';
import { distributionFacts, lsbFacts } from './parse-distribution';
import { hardwareFacts } from './parse-hardware';
import { networkFacts } from './parse-network';
import {
  cmdlineFacts, dateTimeFacts, dnsFacts, envFacts, pkgMgrFacts, platformFacts, serviceMgrFacts, smallFacts, userFacts,
} from './parse-platform';
import { virtualFacts } from './parse-virtual';
import { localFacts } from './parse-local';
import { pythonFacts } from './parse-python';
import { buildProbeScript, splitSections } from './probe';
import { applyFilter, resolveSubset } from './subset';

export interface GatherOptions {
  subset?: readonly string[];
  filter?: readonly string[];
  /** Seconds each slow per-item lookup may take (gather_timeout); the probe itself is not cut short. */
  timeoutSeconds?: number;
  /** fact_path for ansible_local (default /etc/ansible/facts.d). */
  factPath?: string;
  /** ansible_python_interpreter, when the host sets one. */
  python?: string;
  /** Warnings as the setup module reports them (local facts that failed). */
  warn?: (message: string) => void;
}

/** Probe sections each collector needs. */
const SECTIONS: Record<string, readonly string[]> = {
  platform: ['uname', 'fqdn', 'machine_id', 'python'],
  python: ['python'],
  local: ['local'],
  distribution: ['uname', 'os_release', 'debian_version'],
  lsb: ['lsb_release', 'lsb_file'],
  cmdline: ['cmdline'],
  caps: ['caps'],
  env: ['env'],
  user: ['user'],
  date_time: ['date'],
  dns: ['dns'],
  fips: ['fips'],
  apparmor: ['apparmor'],
  selinux: ['selinux'],
  service_mgr: ['uname', 'service_mgr'],
  pkg_mgr: ['os_release', 'pkg_mgr'],
  chroot: ['chroot'],
  ssh_pub_keys: ['ssh_keys'],
  iscsi: ['iscsi'],
  nvme: ['nvme'],
  hardware: ['cpuinfo', 'meminfo', 'mounts', 'dmi', 'uptime', 'devices'],
  network: ['net_addr', 'net_route4', 'net_route6', 'net_sys'],
  virtual: ['virt'],
};

export class FactGatheringError extends Error {}

export async function gatherFacts(conn: Connection, opts: GatherOptions = {}): Promise<Record<string, unknown>> {
  const subset = opts.subset && opts.subset.length ? [...opts.subset] : ['all'];
  const collectors = resolveSubset(subset);
  const script = buildProbeScript([...collectors].flatMap((c) => SECTIONS[c] ?? []), {
    gatherTimeout: opts.timeoutSeconds, factPath: opts.factPath, python: opts.python,
  });
  const res = await conn.exec(script);
  if (res.rc !== 0) throw new FactGatheringError(`fact gathering failed (rc=${res.rc}): ${res.stderr.trim()}`);
  const sections = splitSections(res.stdout);
  const has = (c: string): boolean => collectors.has(c);
  const system = (sections.get('uname') ?? '').split('\n')[0] || 'Linux';
  let facts: Record<string, unknown> = {};
  if (has('platform')) Object.assign(facts, platformFacts(sections));
  const python = pythonFacts(sections);
  if (has('platform') && python.python_version) facts.python_version = python.python_version;
  if (has('python') && python.python) facts.python = python.python;
  const distro = distributionFacts(sections, system);
  if (has('distribution')) Object.assign(facts, distro);
  if (has('lsb')) Object.assign(facts, lsbFacts(sections));
  if (has('cmdline')) Object.assign(facts, cmdlineFacts(sections));
  if (has('env')) Object.assign(facts, envFacts(sections));
  if (has('user')) Object.assign(facts, userFacts(sections));
  if (has('date_time')) Object.assign(facts, dateTimeFacts(sections));
  if (has('dns')) Object.assign(facts, dnsFacts(sections));
  if (has('service_mgr')) Object.assign(facts, serviceMgrFacts(sections, system));
  if (has('pkg_mgr')) Object.assign(facts, pkgMgrFacts(sections, String(distro.os_family)));
  Object.assign(facts, smallFacts(sections, collectors));
  if (has('local')) facts.local = localFacts(sections, opts.warn ?? (() => undefined));
  if (has('hardware')) Object.assign(facts, hardwareFacts(sections));
  if (has('network')) Object.assign(facts, networkFacts(sections));
  if (has('virtual')) Object.assign(facts, virtualFacts(sections));
  facts = sortKeys(facts);
  facts.gather_subset = subset;
  facts.module_setup = true;
  if (opts.filter && opts.filter.length) facts = applyFilter(facts, opts.filter);
  return facts;
}

function sortKeys(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(facts).sort()) out[key] = facts[key];
  return out;
}
