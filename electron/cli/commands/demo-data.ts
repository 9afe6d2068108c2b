/**
 * `roundtrip demo-data OUTDIR`: writes the demo world's train/val/test splits in the format the
 * training tools under tools/ read (see electron/demo-world/dataset.ts).
 */
import { DEFAULT_COUNTS, SPLITS, type Split, writeDemoDataset } from '../../demo-world/dataset.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';

export async function demoDataCommand({ positionals, values, io }: CommandContext): Promise<void> {
  const outDir = positionals[0]!;
  const splitArg = (values.split as string | undefined) ?? 'all';
  const splits: Split[] = splitArg === 'all' ? [...SPLITS] : [parseSplit(splitArg)];
  const count = values.count === undefined ? undefined : parseWhole('--count', values.count as string);
  const seed = values.seed === undefined ? 1 : parseWhole('--seed', values.seed as string);
  for (const split of splits) {
    const started = Date.now();
    const n = count ?? DEFAULT_COUNTS[split];
    const files = await writeDemoDataset(outDir, { split, count: n, seed, onProgress: (done, total) => io.progress(`demo-data: ${split} ${done}/${total}`) });
    io.progress('');
    io.out(`Wrote ${n} ${split} image(s) with ${n * 5} captions to ${files.captionsFile} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
}

export function parseSplit(value: string): Split {
  if (!(SPLITS as readonly string[]).includes(value)) throw new CliFailure(`--split must be one of ${SPLITS.join(', ')}${value === 'all' ? '' : ', not "' + value + '"'}`, 2);
  return value as Split;
}

export function parseWhole(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new CliFailure(`${flag} must be a whole number ≥ 0, not "${value}"`, 2);
  return n;
}
