// community.general modules (modprobe lives with the system modules).
import type { ModuleDef } from '../types';
import { alternativesModule } from './alternatives';
import { localeGenModule } from './locale-gen';
import { makeModule } from './make';
import { timezoneModule } from './timezone';

export const generalModules = [alternativesModule, localeGenModule, makeModule, timezoneModule] satisfies ModuleDef[];
