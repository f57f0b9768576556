// community.general modules (modprobe lives with the system modules).
import type { ModuleDef } from '../types';
import { timezoneModule } from './timezone';

export const generalModules = [timezoneModule] satisfies ModuleDef[];
