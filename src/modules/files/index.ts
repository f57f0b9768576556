// The file-state modules group: everything that manages files and their content on the target.
import type { ModuleDef } from '../types';
import { copyModule } from './copy';
import { fileModule } from './file';
import { lineinfileModule } from './lineinfile';
import { slurpModule } from './slurp';
import { statModule } from './stat';
import { tempfileModule } from './tempfile';
import { templateModule } from './template';

export const fileModules = [fileModule, copyModule, templateModule, statModule, slurpModule, tempfileModule, lineinfileModule] satisfies ModuleDef[];
