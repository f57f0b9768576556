// Names and labels of what a container driver creates for a run, so that destroy (and a later
// process) finds exactly those things again.

export const RUN_LABEL = 'org.tsible.run';
export const PLATFORM_LABEL = 'org.tsible.platform';

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; anything else becomes '-'. */
export function nameSafe(s: string): string {
  const cleaned = s.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return /^[a-zA-Z0-9]/.test(cleaned) ? cleaned : `x${cleaned}`;
}

export function containerName(runId: string, platform: string): string {
  return nameSafe(`${runId}-${platform}`);
}

/** The network all platforms of a run share. */
export function runNetworkName(runId: string): string {
  return nameSafe(runId);
}

/** A network a platform names in `networks:`, scoped to the run. */
export function platformNetworkName(runId: string, name: string): string {
  return nameSafe(`${runId}-${name}`);
}

/** A named volume of `volumes:`, scoped to the run so parallel runs never share one. */
export function volumeName(runId: string, name: string): string {
  return nameSafe(`${runId}-${name}`);
}

export function runLabels(runId: string, platform?: string): Record<string, string> {
  return platform === undefined ? { [RUN_LABEL]: runId } : { [RUN_LABEL]: runId, [PLATFORM_LABEL]: platform };
}
