// The network modules: downloads and HTTP requests made from the target, archives
// unpacked on the target, and waiting on ports/paths.
import type { ModuleDef } from '../types';
import { getUrlModule } from './get_url';
import { unarchiveModule } from './unarchive';
import { uriModule } from './uri';
import { waitForModule } from './wait_for';

export const netModules = [getUrlModule, uriModule, waitForModule, unarchiveModule] satisfies ModuleDef[];
