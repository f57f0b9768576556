// community.general modules (modprobe lives with the system modules).
import type { ModuleDef } from '../types';

export const generalModules = [] satisfies ModuleDef[];
