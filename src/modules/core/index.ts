// The modules every playbook uses: commands, control flow helpers, include_vars.
import type { ModuleDef } from '../types';
import { commandModule, shellModule } from './command';
import { assertModule, debugModule, failModule, pauseModule, pingModule, setFactModule } from './control';
import { asyncStatusModule } from './async-status';
import { includeVarsModule } from './include-vars';
import { addHostModule, groupByModule, setStatsModule } from './inventory-actions';
import { rawModule, scriptModule } from './raw';
import { validateArgumentSpecModule } from './validate-argument-spec';

export const coreModules = [
  commandModule,
  shellModule,
  rawModule,
  scriptModule,
  debugModule,
  assertModule,
  failModule,
  pingModule,
  pauseModule,
  setFactModule,
  includeVarsModule,
  addHostModule,
  groupByModule,
  setStatsModule,
  validateArgumentSpecModule,
  asyncStatusModule,
] satisfies ModuleDef[];
