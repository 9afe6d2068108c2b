import { startBrowserServer } from '../../server/browser-server.js';
import { findRendererDir } from '../../server/renderer-dir.js';
import { defaultProjectDir } from '../../backend/user-data.js';
import { createDemoProject } from '../../demo-world/demo-project.js';
import { Project } from '../../storage/project.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';

export async function serveCommand({ positionals, values, client, io, stopSignal }: CommandContext): Promise<void> {
  // Without a folder, serve the default project, creating it on first run (what `npm start` does).
  const dir = positionals[0] ?? defaultProjectDir();
  const create = values.create === true || positionals[0] === undefined;
  if (!Project.exists(dir)) {
    if (!create) throw new CliFailure(`${dir} is not a Roundtrip project; create it with \`roundtrip init ${dir}\` or pass --create`);
    if (positionals[0] === undefined) {
      // First run: the default project starts as the demo world, so there is something to look at.
      const demo = await createDemoProject((method, input) => client.call(method, input), dir, {
        onProgress: (done, total) => io.progress(`demo: writing images ${done}/${total}`),
      });
      io.progress('');
      io.err(`Created demo project ${demo.project.path} with ${demo.report.imported} images`);
    } else {
      const info = await client.call('project:create', { path: dir });
      io.err(`Created project ${info.path}`);
    }
  }
  await client.call('project:open', { path: dir });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliFailure('--port must be a port number (0–65535)');

  const server = await startBrowserServer({ backend: client.backend, rendererDir: findRendererDir(), port }).catch((error: Error) => {
    throw new CliFailure(`Cannot listen on 127.0.0.1:${port}: ${error.message}`);
  });
  io.out(`Roundtrip is serving project ${client.backend.session.current?.dir} in browser mode.`);
  io.out(`Open ${server.url}`);
  io.out('That address carries this run’s access token; press Ctrl+C to stop.');
  await stopSignal;
  await server.close();
}
