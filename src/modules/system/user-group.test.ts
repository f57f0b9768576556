// user and group modules run for real on this host (root sandbox), cleaning up after themselves.
import { execSync } from 'child_process';
import { runModule } from './test-helpers';
import { groupModule } from './group';
import { userModule } from './user';
import type { ModuleDef } from '../types';

const isRoot = process.getuid?.() === 0;
const maybe = isRoot ? describe : describe.skip;
const G = 'tsible_test_grp';
const U = 'tsible_test_user';

function cleanup(): void {
  execSync(`userdel -r ${U} 2>/dev/null; groupdel ${G} 2>/dev/null; groupdel ${G}2 2>/dev/null; true`, { shell: '/bin/sh' });
}

const run = (mod: ModuleDef, raw: Record<string, unknown>, opts: { check?: boolean } = {}) => runModule(mod, raw, opts);

maybe('group module', () => {
  beforeAll(cleanup);
  afterAll(cleanup);
  test('create, idempotent, check mode, change gid, remove', async () => {
    expect((await run(groupModule, { name: G, gid: 4711 }, { check: true })).result).toEqual({ changed: true });
    expect(execSync(`getent group ${G} || true`).toString()).toBe('');
    expect((await run(groupModule, { name: G, gid: 4711 })).result).toEqual({ changed: true, gid: 4711, name: G, state: 'present', system: false });
    expect((await run(groupModule, { name: G, gid: 4711 })).result).toEqual({ changed: false, gid: 4711, name: G, state: 'present', system: false });
    expect((await run(groupModule, { name: G, gid: 4712 }, { check: true })).result).toMatchObject({ changed: true, gid: 4711 });
    expect((await run(groupModule, { name: G, gid: 4712 })).result).toMatchObject({ changed: true, gid: 4712 });
    expect(execSync(`getent group ${G}`).toString()).toMatch(/:4712:/);
    const dup = (await run(groupModule, { name: `${G}2`, gid: 4712 })).result;
    expect(dup).toEqual({ changed: false, failed: true, name: `${G}2`, msg: "groupadd: GID '4712' already exists\n" });
    expect((await run(groupModule, { name: G, state: 'absent' })).result).toEqual({ changed: true, name: G, state: 'absent' });
    expect((await run(groupModule, { name: G, state: 'absent' })).result).toEqual({ changed: false, name: G, state: 'absent' });
  });
});

maybe('user module', () => {
  beforeAll(cleanup);
  afterAll(cleanup);
  test('create with groups, second run unchanged, modify, check mode, remove', async () => {
    const missing = (await run(userModule, { name: U, groups: [G] })).result;
    expect(missing).toEqual({ changed: false, failed: true, msg: `Group ${G} does not exist` });
    await run(groupModule, { name: G });
    const spec = { name: U, uid: 4721, shell: '/bin/sh', comment: 'hello', groups: [G] };
    expect((await run(userModule, spec, { check: true })).result).toEqual({ changed: true });
    const first = (await run(userModule, spec)).result;
    expect(first).toEqual({
      changed: true, comment: 'hello', create_home: true, group: first.group, groups: G, home: `/home/${U}`, name: U,
      shell: '/bin/sh', state: 'present', system: false, uid: 4721,
    });
    expect(execSync(`id -nG ${U}`).toString()).toContain(G);
    const second = (await run(userModule, spec)).result;
    expect(second).toEqual({
      append: false, changed: false, comment: 'hello', group: first.group, groups: G, home: `/home/${U}`, move_home: false,
      name: U, shell: '/bin/sh', state: 'present', uid: 4721,
    });
    const checkMod = (await run(userModule, { name: U, shell: '/bin/bash' }, { check: true })).result;
    expect(checkMod).toMatchObject({ changed: true, shell: '/bin/sh' });
    const mod = (await run(userModule, { name: U, shell: '/bin/bash', groups: [] })).result;
    expect(mod).toMatchObject({ changed: true, shell: '/bin/bash', groups: '' });
    expect(execSync(`id -nG ${U}`).toString()).not.toContain(G);
    const pw = await run(userModule, { name: U, password: 'plain' });
    expect(pw.warnings[0]).toMatch(/appears not to have been hashed/);
    expect(pw.result).toMatchObject({ changed: true, password: 'NOT_LOGGING_PASSWORD' });
    expect((await run(userModule, { name: U, password: 'plain' })).result.changed).toBe(false);
    expect((await run(userModule, { name: U, password_lock: true })).result.changed).toBe(true);
    expect((await run(userModule, { name: U, password_lock: true })).result.changed).toBe(false);
    expect((await run(userModule, { name: U, state: 'absent' }, { check: true })).result).toEqual({ changed: true });
    const removed = (await run(userModule, { name: U, state: 'absent', remove: true })).result;
    expect(removed).toMatchObject({ changed: true, force: false, name: U, remove: true, state: 'absent' });
    expect((await run(userModule, { name: U, state: 'absent' })).result).toEqual({ changed: false, name: U, state: 'absent' });
  });

  test('bad group and duplicate uid fail with useradd messages', async () => {
    expect((await run(userModule, { name: U, group: 'no_such_group_x' })).result).toEqual({ changed: false, failed: true, msg: 'Group no_such_group_x does not exist' });
    expect((await run(userModule, { name: U, uid: 0, create_home: false })).result).toEqual({
      changed: false, failed: true, name: U, msg: 'useradd: UID 0 is not unique\n', rc: 4,
    });
  });
});
