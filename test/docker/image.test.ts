// The image cache on the real Engine: the built-in image is reused while its recipe holds, and a
// (small) recipe is built once by one of two concurrent callers, reused, and rebuilt when it
// changes, with the phases of the build reported.
import { engineClient } from '../../src/connection/docker/endpoint';
import { lineProgress } from '../../src/testing/images/progress';
import { BASE_RECIPE, BUILTIN_IMAGE, builtinImageRef, RECIPE_LABEL, recipeHash, type ImageRecipe } from '../../src/testing/images/recipe';
import { ensureBaseImage, listTsibleImages } from '../../src/testing/images/store';
import { runContainerExec } from '../../src/connection/docker/exec';
import { ensureTestImage, TEST_PREFIX } from '../support/docker';
import { runTsible } from '../support/run-tsible';

const docker = engineClient();

test('the built-in image: labelled with its recipe hash, named, and reused without a build', async () => {
  await ensureTestImage();
  const info = await docker.getImage(builtinImageRef()).inspect();
  expect(info.Config.Labels?.[RECIPE_LABEL]).toBe(recipeHash());
  expect((await docker.getImage(BUILTIN_IMAGE).inspect()).Id).toBe(info.Id);
  const started = Date.now();
  const again = await ensureBaseImage(docker, { progress: lineProgress(() => undefined) });
  expect(again).toEqual({ id: info.Id, built: false });
  expect(Date.now() - started).toBeLessThan(3000);
  const listed = (await listTsibleImages(docker)).find((i) => i.id === info.Id);
  expect(listed).toMatchObject({ current: true, recipe: recipeHash() });
  expect(listed?.tags).toEqual(expect.arrayContaining([BUILTIN_IMAGE, builtinImageRef()]));
}, 600_000);

describe('a recipe is built once, reused, and rebuilt when it changes', () => {
  const small: ImageRecipe = {
    name: `${TEST_PREFIX}/mini:1`,
    suite: BASE_RECIPE.suite,
    variant: 'minbase',
    packages: [],
    setup: 'set -e\necho one > /etc/tsible-test-recipe\napt-get clean',
    changes: ['CMD ["/bin/sh"]'],
  };
  const changed: ImageRecipe = { ...small, setup: small.setup.replace('echo one', 'echo two') };
  const made: string[] = [];

  afterAll(async () => {
    for (const ref of [builtinImageRef(small), builtinImageRef(changed), small.name]) await docker.getImage(ref).remove().catch(() => undefined);
    for (const id of made) await docker.getImage(id).remove({ force: true }).catch(() => undefined);
  }, 60_000);

  const read = async (image: string): Promise<string> => {
    const c = await docker.createContainer({ Image: image, Cmd: ['sleep', '30'], name: `${TEST_PREFIX}-image-probe`, Labels: { 'org.tsible.run': `${TEST_PREFIX}-image` } });
    try {
      await c.start();
      return (await runContainerExec(docker, c.id, { cmd: ['cat', '/etc/tsible-test-recipe'] })).stdout;
    } finally {
      await c.remove({ force: true });
    }
  };

  test('two concurrent callers: one builds (phases reported), the other waits and reuses it', async () => {
    const lines: string[] = [];
    const waits: string[] = [];
    const [a, b] = await Promise.all([
      ensureBaseImage(docker, { recipe: small, progress: lineProgress((l) => lines.push(l)), log: (l) => waits.push(l) }),
      ensureBaseImage(docker, { recipe: small, progress: lineProgress((l) => lines.push(l)), log: (l) => waits.push(l) }),
    ]);
    made.push(a.id);
    expect([a.built, b.built].sort()).toEqual([false, true]);
    expect(a.id).toBe(b.id);
    expect(lines.slice(0, 3)).toEqual(['image: debootstrap', 'image: setup', 'image: import']);
    expect(lines[3]).toMatch(new RegExp(`^image: built ${TEST_PREFIX}/mini:1 \\([0-9a-f]{12}\\) in \\d+ s$`));
    expect(waits).toEqual([expect.stringMatching(/^image: waiting for the image build of process \d+$/)]);
    expect(await read(builtinImageRef(small))).toBe('one\n');
    expect((await ensureBaseImage(docker, { recipe: small, progress: lineProgress(() => undefined) })).built).toBe(false);
  }, 900_000);

  test('a changed recipe builds a new image; the name follows it', async () => {
    const r = await ensureBaseImage(docker, { recipe: changed, progress: lineProgress(() => undefined) });
    made.push(r.id);
    expect(r.built).toBe(true);
    expect(r.id).not.toBe(made[0]);
    expect(await read(small.name)).toBe('two\n');
    expect((await docker.getImage(builtinImageRef(changed)).inspect()).Config.Labels?.[RECIPE_LABEL]).toBe(recipeHash(changed));
  }, 900_000);
});

describe('tsible test image', () => {
  test('build with a current image builds nothing; ls shows it current', async () => {
    await ensureTestImage();
    const cwd = process.cwd();
    const build = runTsible(['test', 'image', 'build'], cwd);
    expect(build.status).toBe(0);
    expect(build.stdout).toMatch(/^tsible\/debian:12 is current \([0-9a-f]{12}\); nothing to build\n$/);
    const ls = runTsible(['test', 'image', 'ls'], cwd);
    expect(ls.status).toBe(0);
    expect(ls.stdout.split('\n')[0]).toMatch(/^IMAGE\s+ID\s+CREATED\s+SIZE\s+RECIPE$/);
    expect(ls.stdout).toMatch(new RegExp(`(^|\\n)\\S*${builtinImageRef().replace(/[/.]/g, '\\$&')}\\S*\\s+[0-9a-f]{12}\\s+\\S+\\s+\\d+ MB\\s+current\\n`));
  }, 600_000);

  test('help and a bad subcommand', () => {
    expect(runTsible(['test', 'image'], process.cwd()).stdout).toContain('usage: tsible test image build [--rebuild]');
    const bad = runTsible(['test', 'image', 'paint'], process.cwd());
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("tsible test image: error: unknown image command 'paint' (build, ls or rm)");
  });
});
