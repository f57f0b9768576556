// The file-state modules group: everything that manages files and their content on the target.
import type { ModuleDef } from '../types';
import { copyModule } from './copy';
import { fileModule } from './file';
import { lineinfileModule } from './lineinfile';
import { blockinfileModule } from './blockinfile';
import { replaceModule } from './replace';
import { fetchModule } from './fetch';
import { assembleModule } from './assemble';
import { findModule } from './find';
import { slurpModule } from './slurp';
import { statModule } from './stat';
import { tempfileModule } from './tempfile';
import { templateModule } from './template';

export const fileModules = [fileModule, copyModule, templateModule, statModule, slurpModule, tempfileModule, lineinfileModule, blockinfileModule, replaceModule, fetchModule, assembleModule, findModule] satisfies ModuleDef[];
