// Public surface of fact gathering: the setup module and gatherFacts() for gather_facts.
export { setupModule, prefixFacts } from './setup';
export { gatherFactsModule } from './gather-facts';
export { gatherFacts, FactGatheringError } from './gather';
export type { GatherOptions } from './gather';
export { resolveSubset, applyFilter, SubsetError } from './subset';
