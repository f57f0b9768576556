// Molecule docker platforms → Engine create requests, as data: platform + image config → request.
import { TsibleError } from '../../../errors';
import type { Platform } from '../types';
import { KEEP_ALIVE, planPlatform, type PlanContext } from './platform';

const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  runId: 'tsible-t-run',
  scenarioDir: '/roles/r/molecule/default',
  network: 'tsible-t-run',
  image: 'img',
  imageConfig: { Cmd: ['/sbin/init'] },
  privilegedAllowed: false,
  ...over,
});

const plan = (p: Partial<Platform>, c?: Partial<PlanContext>) => planPlatform({ name: 'instance', ...p } as Platform, ctx(c));

describe('planPlatform', () => {
  test('an image whose command is an init gets what systemd as PID 1 needs', () => {
    const r = plan({ image: 'img' });
    expect(r.systemd).toBe(true);
    expect(r.create).toMatchObject({
      name: 'tsible-t-run-instance',
      Hostname: 'instance',
      Cmd: undefined,
      StopSignal: 'SIGRTMIN+3',
      Env: ['container=docker'],
      Labels: { 'org.tsible.run': 'tsible-t-run', 'org.tsible.platform': 'instance' },
      HostConfig: {
        Privileged: false,
        CapAdd: ['SYS_ADMIN'],
        SecurityOpt: ['seccomp=unconfined'],
        CgroupnsMode: 'host',
        Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
        Tmpfs: { '/run': '', '/run/lock': '', '/tmp': '' },
        NetworkMode: 'tsible-t-run',
      },
      NetworkingConfig: { EndpointsConfig: { 'tsible-t-run': { Aliases: ['instance'] } } },
    });
    expect(r.notices).toEqual([]);
  });

  test('no command and an image that would exit: Molecule keep-alive, no systemd flags', () => {
    const r = plan({ image: 'alpine' }, { imageConfig: { Cmd: ['/bin/sh'] } });
    expect(r.systemd).toBe(false);
    expect(r.create.Cmd).toEqual(KEEP_ALIVE);
    expect(r.create.HostConfig?.CapAdd).toEqual([]);
    expect(r.create.StopSignal).toBeUndefined();
  });

  test('command "" keeps the image command; a string command is split as a shell does', () => {
    expect(plan({ command: '' }, { imageConfig: { Cmd: ['bash'] } }).create.Cmd).toBeUndefined();
    const r = plan({ command: '/lib/systemd/systemd --log-level="debug info"' }, { imageConfig: { Cmd: ['bash'] } });
    expect(r.create.Cmd).toEqual(['/lib/systemd/systemd', '--log-level=debug info']);
    expect(r.systemd).toBe(true);
    expect(plan({ override_command: false }, { imageConfig: { Cmd: ['bash'] } }).create.Cmd).toBeUndefined();
  });

  test('privileged on a host that refuses it: the most it allows, and a notice', () => {
    const r = plan({ privileged: true, capabilities: ['SYS_PTRACE'] });
    expect(r.create.HostConfig).toMatchObject({
      Privileged: false,
      CapAdd: ['SYS_PTRACE', 'SYS_ADMIN', 'NET_ADMIN'],
      SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    });
    expect(r.notices).toEqual([expect.stringMatching(/^platform 'instance': this Docker host refuses privileged containers; running it with SYS_ADMIN, NET_ADMIN/)]);
    expect(plan({ privileged: true }, { privilegedAllowed: true }).create.HostConfig).toMatchObject({ Privileged: true });
    expect(plan({ privileged: true }, { privilegedAllowed: true }).notices).toEqual([]);
  });

  test('a public role scenario: ro cgroup bind upgraded with a notice, cgroupns from the platform', () => {
    const r = plan({ image: 'img', privileged: true, cgroupns_mode: 'private', volumes: ['/sys/fs/cgroup:/sys/fs/cgroup:ro'], pre_build_image: true });
    expect(r.create.HostConfig).toMatchObject({ CgroupnsMode: 'private', Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'] });
    expect(r.notices[0]).toMatch(/read-write/);
  });

  test('volumes: binds kept, relative sources from the scenario, named volumes scoped to the run', () => {
    const r = plan({ volumes: ['/srv:/srv:ro', './files:/files', 'data:/var/lib/docker', '/anon'] });
    expect(r.create.HostConfig?.Binds).toEqual([
      '/srv:/srv:ro',
      '/roles/r/molecule/default/files:/files',
      'tsible-t-run-data:/var/lib/docker',
      '/anon',
      '/sys/fs/cgroup:/sys/fs/cgroup:rw',
    ]);
    expect(r.volumes).toEqual(['tsible-t-run-data']);
  });

  test('tmpfs, env, etc_hosts (dict, list and Python repr), ports, dns, ulimits', () => {
    const r = plan({
      tmpfs: ['/var/lib/docker:size=1g'],
      env: { A: '1', B: true },
      etc_hosts: "{'h1.example.com': '10.3.1.5'}",
      published_ports: ['127.0.0.1:8080:80/tcp', '9090:90', '53/udp'],
      exposed_ports: ['22'],
      dns_servers: ['8.8.8.8'],
      ulimits: ['nofile:1024:2048'],
    });
    expect(r.create.Env).toEqual(['A=1', 'B=True', 'container=docker']);
    expect(r.create.ExposedPorts).toEqual({ '22/tcp': {}, '80/tcp': {}, '90/tcp': {}, '53/udp': {} });
    expect(r.create.HostConfig).toMatchObject({
      Tmpfs: { '/var/lib/docker': 'size=1g', '/run': '', '/run/lock': '', '/tmp': '' },
      ExtraHosts: ['h1.example.com:10.3.1.5'],
      PortBindings: {
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
        '90/tcp': [{ HostIp: undefined, HostPort: '9090' }],
        '53/udp': [{ HostIp: undefined, HostPort: '' }],
      },
      Dns: ['8.8.8.8'],
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
    });
    expect(plan({ etc_hosts: ['a:1.2.3.4'] }).create.HostConfig?.ExtraHosts).toEqual(['a:1.2.3.4']);
  });

  test('hostname with a domain; network_mode host drops the run network and hostname', () => {
    expect(plan({ hostname: 'node1.example.com' }).create).toMatchObject({ Hostname: 'node1', Domainname: 'example.com' });
    const h = plan({ network_mode: 'host' });
    expect(h.create.Hostname).toBeUndefined();
    expect(h.create.HostConfig?.NetworkMode).toBe('host');
    expect(h.create.NetworkingConfig).toBeUndefined();
  });

  test('networks: names and aliases kept for the driver to join', () => {
    expect(plan({ networks: [{ name: 'back', aliases: ['db'] }, 'front'] }).networks).toEqual([
      { name: 'back', aliases: ['db'], ipv4Address: undefined },
      { name: 'front', aliases: [] },
    ]);
  });

  test('wrong shapes name the platform and the key', () => {
    expect(() => plan({ volumes: { a: 1 } })).toThrow(new TsibleError('DRIVER', `platform 'instance': 'volumes' must be a list of strings (got {"a":1})`));
    expect(() => plan({ published_ports: ['x:y'] })).toThrow(/'published_ports' must be a list of "\[ip:\]\[host_port:\]port\[\/proto\]"/);
    expect(() => plan({ privileged: 'maybe' })).toThrow(/'privileged' must be a boolean/);
  });
});
