// The registry of Jinja2 tests (`value is name(args)`) the Templar resolves names against.
import type { TestFn } from '../plugin-types';
import { fileTests } from './files';
import { resultTests } from './results';
import { typeTests } from './types';
import { uriTests } from './uri';

export const tests = {
  ...typeTests,
  ...resultTests,
  ...fileTests,
  ...uriTests,
} satisfies Record<string, TestFn>;
