// Types of lib/recorder.js (plain CommonJS so record.sh runs it with node alone).
import type { Outcome, ParityCase } from './tsible-side';

export const SUITE_DIR: string;
export const ENV_FOR_CASES: Record<string, string>;
export function loadCases(): ParityCase[];
export function caseKind(c: ParityCase): 'value' | 'text';
export function valueSource(c: ParityCase): string;
export function caseDigest(c: ParityCase): string;
export function runAnsible(
  cases: ParityCase[],
  opts?: { keepWorkDir?: boolean; timeoutMs?: number },
): { ansibleVersion: string; groups: unknown; hostvars: Record<string, Record<string, unknown>>; results: Record<string, Outcome> };
