// ansible.posix modules that live here (sysctl and mount live with the system modules).
import type { ModuleDef } from '../types';
import { authorizedKeyModule } from './authorized-key';
import { sebooleanModule } from './seboolean';
import { synchronizeModule } from './synchronize';

export const posixModules = [authorizedKeyModule, sebooleanModule, synchronizeModule] satisfies ModuleDef[];
