// The system module group: services, users and groups, packages, kernel settings, mounts, hostname.
import type { ModuleDef } from '../types';
import { aptModule } from './apt';
import { groupModule } from './group';
import { hostnameModule } from './hostname';
import { modprobeModule } from './modprobe';
import { mountModule } from './mount';
import { packageModule } from './package';
import { packageFactsModule } from './package-facts';
import { serviceModule } from './service';
import { serviceFactsModule } from './service-facts';
import { sysctlModule } from './sysctl';
import { systemdModule, systemdServiceModule } from './systemd';
import { userModule } from './user';
import { pipModule } from './pip';
import { dnfModule, yumModule } from './yum-dnf';

export const systemModules = [
  systemdModule,
  systemdServiceModule,
  serviceModule,
  serviceFactsModule,
  userModule,
  groupModule,
  aptModule,
  packageModule,
  packageFactsModule,
  sysctlModule,
  modprobeModule,
  mountModule,
  hostnameModule,
  pipModule,
  yumModule,
  dnfModule,
] satisfies ModuleDef[];
