// The system module group: services, users and groups, packages, kernel settings, mounts, hostname.
import type { ModuleDef } from '../types';
import { groupModule } from './group';
import { serviceModule } from './service';
import { serviceFactsModule } from './service-facts';
import { sysctlModule } from './sysctl';
import { systemdModule, systemdServiceModule } from './systemd';
import { userModule } from './user';

export const systemModules = [
  systemdModule,
  systemdServiceModule,
  serviceModule,
  serviceFactsModule,
  userModule,
  groupModule,
  sysctlModule,
] satisfies ModuleDef[];
