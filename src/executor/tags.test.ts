// Tag selection against ansible-playbook --list-tasks answers recorded in test/fixtures/tags-cases.json.
import * as path from 'path';
import { shouldRunTags } from './tags';

const cases: [string[], string[], string[], boolean][] = require(path.join(__dirname, '../../test/fixtures/tags-cases.json'));

test.each(cases)('tags %j with --tags %j --skip-tags %j → %s', (tags, only, skip, expected) => {
  expect(shouldRunTags(tags, { only, skip })).toBe(expected);
});
