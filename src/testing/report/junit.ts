// The JUnit XML report of `tsible test --junit FILE` (junit-report-builder writes it): one
// test suite per scenario, one test case per step, failures with their structured report.
import * as fs from 'fs';
import * as path from 'path';
import junit from 'junit-report-builder';
import type { ScenarioResult } from '../types';

export function junitXml(results: readonly ScenarioResult[]): string {
  const builder = junit.newBuilder().name('tsible test');
  for (const r of results) {
    const suite = builder.testSuite().name(r.id).time(r.seconds).property('scenario_directory', r.scenarioDir);
    if (r.error && !r.steps.length) {
      suite.testCase().className(r.id).name('load').error(r.error).standardOutput(r.output);
      continue;
    }
    for (const s of r.steps) {
      const tc = suite.testCase().className(r.id).name(s.step).time(s.seconds);
      if (s.status === 'skipped') tc.skipped();
      if (s.status === 'failed') tc.failure(s.message ?? `${s.step} failed`, s.step).standardOutput(r.output);
    }
    if (r.status === 'interrupted') suite.testCase().className(r.id).name('interrupted').error('interrupted by the user (SIGINT)');
  }
  return builder.build();
}

export function writeJunit(file: string, results: readonly ScenarioResult[]): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, junitXml(results));
}
