import type { CommandContext } from '../command.js';

export async function initCommand({ positionals, values, client, io }: CommandContext): Promise<void> {
  const dir = positionals[0];
  const info = await client.call('project:create', { path: dir!, name: values.name as string | undefined });
  io.out(`Created project "${info.name}" in ${info.path}`);
}
