// community.general modules (modprobe lives with the system modules).
import type { ModuleDef } from '../types';
import { archiveModule } from './archive';
import { alternativesModule } from './alternatives';
import { localeGenModule } from './locale-gen';
import { makeModule } from './make';
import { npmModule } from './npm';
import { timezoneModule } from './timezone';
import { ufwModule } from './ufw';

export const generalModules = [alternativesModule, archiveModule, localeGenModule, makeModule, npmModule, timezoneModule, ufwModule] satisfies ModuleDef[];
