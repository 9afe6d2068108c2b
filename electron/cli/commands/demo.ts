/**
 * `roundtrip demo DIR`: a new project filled with demo-world images and their five reference
 * captions each, imported the ordinary way (see electron/demo-world/demo-project.ts).
 */
import { createDemoProject, DEMO_PROJECT_DEFAULTS } from '../../demo-world/demo-project.js';
import type { CommandContext } from '../command.js';
import { parseSplit, parseWhole } from './demo-data.js';
import { printReport } from './import.js';

export async function demoCommand({ positionals, values, client, io }: CommandContext): Promise<void> {
  const split = values.split === undefined ? DEMO_PROJECT_DEFAULTS.split : parseSplit(values.split as string);
  const count = values.count === undefined ? DEMO_PROJECT_DEFAULTS.count : parseWhole('--count', values.count as string);
  const seed = values.seed === undefined ? DEMO_PROJECT_DEFAULTS.seed : parseWhole('--seed', values.seed as string);
  const demo = await createDemoProject((method, input) => client.call(method, input), positionals[0]!, {
    split,
    count,
    seed,
    onProgress: (done, total) => io.progress(`demo: writing images ${done}/${total}`),
  });
  io.progress('');
  io.out(`Created demo project "${demo.project.name}" in ${demo.project.path} (${split} split, seed ${seed}).`);
  printReport(demo.report, io);
}
