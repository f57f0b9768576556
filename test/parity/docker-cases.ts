// Which module parity cases run over the docker connection: a CI subset covering every module,
// and the cases whose result depends on the machine rather than the connection (with why).

/** Cases that cannot match a container: the reference describes this host itself. */
export const DOCKER_PARITY_DIFFERENT: Record<string, string> = {};

/** Run on every `npm test`: at least one case per module, chosen for what crosses the connection. */
export const DOCKER_PARITY_CI: readonly string[] = [];
