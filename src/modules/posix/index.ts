// ansible.posix modules that live here (sysctl and mount live with the system modules).
import type { ModuleDef } from '../types';
import { authorizedKeyModule } from './authorized-key';

export const posixModules = [authorizedKeyModule] satisfies ModuleDef[];
