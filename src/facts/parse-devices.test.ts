// Block device facts: parser on a captured probe record, and the probe run for real on this host.
import { execSync } from 'child_process';
import * as fs from 'fs';
import { bytesToHuman, deviceFacts, DEVICES_PROBE } from './parse-devices';

test('bytesToHuman formats like Ansible', () => {
  expect(bytesToHuman(0)).toBe('0.00 Bytes');
  expect(bytesToHuman(1023)).toBe('1023.00 Bytes');
  expect(bytesToHuman(536870912 * 512)).toBe('256.00 GB');
  expect(bytesToHuman(1536)).toBe('1.50 KB');
});

test('devices, partitions, holders and links', () => {
  const text = [
    '@dev sda', 'realpath=/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda',
    'device/vendor=ATA     ', 'device/model=Samsung SSD', 'removable=0', 'queue/discard_granularity=512', 'queue/rotational=0',
    'queue/scheduler=[none] mq-deadline', 'size=2048', 'queue/logical_block_size=512',
    '@part sda1', 'start=2048', 'size=1024', 'holder=dm-0 vg-root',
    '@dev loop0', 'realpath=/sys/devices/virtual/block/loop0', 'size=0', 'queue/scheduler=none', 'queue/hw_sector_size=4096',
    '@link ids ata-Samsung_SSD /dev/sda', '@link uuids 1234-abcd /dev/sda1', '@master sda1 dm-0',
  ].join('\n');
  const f = deviceFacts(text) as { devices: Record<string, Record<string, unknown>>; device_links: unknown };
  expect(f.devices.sda).toEqual({
    virtual: 1, links: { ids: ['ata-Samsung_SSD'], uuids: [], labels: [], masters: [] },
    vendor: 'ATA', model: 'Samsung SSD', sas_address: null, sas_device_handle: null, removable: '0', support_discard: '512',
    partitions: {
      sda1: { links: { ids: [], uuids: ['1234-abcd'], labels: [], masters: ['dm-0'] }, start: '2048', sectors: '1024', sectorsize: '512', size: '512.00 KB', uuid: '1234-abcd', holders: ['vg-root'] },
    },
    rotational: '0', scheduler_mode: 'none', sectors: '2048', sectorsize: '512', size: '1.00 MB', host: '', holders: [],
  });
  expect(f.devices.loop0).toMatchObject({ scheduler_mode: '', sectors: '0', sectorsize: '4096', size: '0.00 Bytes', vendor: null, removable: null });
  expect(f.device_links).toEqual({ ids: { sda: ['ata-Samsung_SSD'] }, uuids: { sda1: ['1234-abcd'] }, labels: {}, masters: { sda1: ['dm-0'] } });
});

test('the probe lists every /sys/block device of this host', () => {
  const out = execSync(DEVICES_PROBE, { shell: '/bin/sh', encoding: 'utf8' });
  const names = fs.existsSync('/sys/block') ? fs.readdirSync('/sys/block').sort() : [];
  expect(Object.keys((deviceFacts(out) as { devices: object }).devices).sort()).toEqual(names);
});
