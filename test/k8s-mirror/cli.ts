// Builds the artifact mirror and serves it, for the lab or by hand:
//   npx ts-node test/k8s-mirror/cli.ts build            # prints the mirror's index
//   npx ts-node test/k8s-mirror/cli.ts serve [--host 0.0.0.0] [--port 8080]
import { buildMirror } from './build';
import { startMirrorServer } from './server';

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const mirror = buildMirror();
  if (cmd === 'build') {
    process.stdout.write(JSON.stringify(mirror, null, 1) + '\n');
    return;
  }
  if (cmd !== 'serve') throw new Error('usage: cli.ts build | serve [--host H] [--port P]');
  const server = await startMirrorServer(mirror.root, { host: opt('host') ?? '0.0.0.0', port: Number(opt('port') ?? 8080) });
  process.stdout.write(`serving ${mirror.root} on port ${server.port}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
