// The file-state modules group: everything that manages files and their content on the target.
import type { ModuleDef } from '../types';
import { copyModule } from './copy';
import { fileModule } from './file';

export const fileModules = [fileModule, copyModule] satisfies ModuleDef[];
