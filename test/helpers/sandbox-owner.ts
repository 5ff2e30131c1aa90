/**
 * A hotmess process that owns one sandbox, for reaping tests: `node --import tsx sandbox-owner.ts IMAGE RUN`
 * starts a sandbox labelled with RUN, prints `ready <container id>`, and closes it and exits when its stdin ends.
 */
import { connectEngine } from '../../src/docker/engine.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';

const [image, run] = process.argv.slice(2);
if (!image || !run) throw new Error('usage: sandbox-owner.ts IMAGE RUN');
const { docker } = await connectEngine();
const sandbox = await new DockerSandboxProvider(docker).start(image, {}, { run });
process.stdout.write(`ready ${sandbox.id}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void sandbox.close().then(() => process.exit(0));
});
