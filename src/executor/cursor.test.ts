// The per-host iterator against ansible-playbook: which tasks run, and whether the host
// ends failed, for nested block/rescue/always scenarios (test/fixtures/block-scenarios.json).
import * as path from 'path';
import type { Block, Task } from '../playbook/model';
import { HostCursor } from './cursor';

type Spec = string | { block: Spec[]; rescue?: Spec[]; always?: Spec[] };
interface Scenario {
  scenario: Spec[];
  ran: string[];
  hostFailed: boolean;
  recap: string[];
}

const scenarios: Scenario[] = require(path.join(__dirname, '../../test/fixtures/block-scenarios.json'));

let nextId = 0;
function block(children: (Task | Block)[], rescue: (Task | Block)[] = [], always: (Task | Block)[] = []): Block {
  return { kind: 'block', id: ++nextId, block: children, rescue, always, when: [], tags: [], vars: {}, keywords: {} };
}
function build(spec: Spec): Task | Block {
  if (typeof spec === 'string') {
    const fails = spec.endsWith('!');
    return {
      kind: 'task', id: ++nextId, name: fails ? spec.slice(0, -1) : spec, action: fails ? 'fail' : 'debug', actionAsWritten: 'debug',
      args: {}, when: [], tags: [], vars: {}, keywords: {}, notify: [], listen: [], isHandler: false, parent: undefined as unknown as Block,
    };
  }
  return block(spec.block.map(build), (spec.rescue ?? []).map(build), (spec.always ?? []).map(build));
}

test.each(scenarios.map((s) => [JSON.stringify(s.scenario), s] as const))('%s', (_name, s) => {
  const top = s.scenario.map((n) => {
    const b = build(n);
    return b.kind === 'block' ? b : block([b]);
  });
  const cursor = new HostCursor(top);
  const ran: string[] = [];
  let rescued = 0;
  let failedCount = 0;
  for (let pos = cursor.next(); pos; pos = cursor.next()) {
    ran.push(pos.task.name as string);
    if (pos.task.action === 'fail') {
      if (cursor.fail() === 'rescued') rescued++;
      else failedCount++;
    }
  }
  expect(ran).toEqual(s.ran);
  expect(cursor.failed).toBe(s.hostFailed);
  expect(`rescued=${rescued}`).toBe(s.recap.find((r) => r.startsWith('rescued=')));
  expect(`failed=${failedCount}`).toBe(s.recap.find((r) => r.startsWith('failed=')));
});
