// The summary table printed at the end of `tsible test`: one row per scenario with its
// result and the time of each step (cli-table3 draws it).
import Table from 'cli-table3';
import type { ScenarioResult } from '../types';

const seconds = (s: number): string => `${s.toFixed(1)}s`;

/** Step columns in the order they first ran; a step run twice (cleanup, destroy) adds up. */
function columns(results: readonly ScenarioResult[]): string[] {
  const order: string[] = [];
  for (const r of results) for (const s of r.steps) if (!order.includes(s.step)) order.push(s.step);
  return order;
}

function cell(r: ScenarioResult, step: string): string {
  const runs = r.steps.filter((s) => s.step === step);
  if (!runs.length) return '';
  const ran = runs.filter((s) => s.status !== 'skipped');
  if (!ran.length) return '-';
  const time = seconds(ran.reduce((t, s) => t + s.seconds, 0));
  return ran.some((s) => s.status === 'failed') ? `FAILED ${time}` : time;
}

export function summaryTable(results: readonly ScenarioResult[]): string {
  const steps = columns(results);
  const table = new Table({
    head: ['scenario', 'result', ...steps, 'total'],
    style: { head: [], border: [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const r of results) table.push([r.id, r.status, ...steps.map((s) => cell(r, s)), seconds(r.seconds)]);
  return table.toString();
}
