import { CaptionSourceSchema } from '../../../shared/contract/schemas.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';

export const EXPORT_FORMATS = ['coco-captions'] as const;

export async function exportCommand({ positionals, values, client, io }: CommandContext): Promise<void> {
  const format = (values.format as string | undefined) ?? 'coco-captions';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new CliFailure(`Unknown export format "${format}"; available: ${EXPORT_FORMATS.join(', ')}`);
  }
  const out = values.out as string | undefined;
  if (!out) throw new CliFailure('export needs --out FILE');
  const captions = CaptionSourceSchema.safeParse((values.captions as string | undefined) ?? 'prefer-decided');
  if (!captions.success) throw new CliFailure(`--captions must be one of ${CaptionSourceSchema.options.join(', ')}`);
  const dataset = values.dataset as string | undefined;
  const datasetId = dataset === undefined ? undefined : Number(dataset);
  if (datasetId !== undefined && !(Number.isInteger(datasetId) && datasetId > 0)) throw new CliFailure('--dataset must be a dataset id');

  await client.call('project:open', { path: positionals[0]! });
  const result = await client.call('export:coco', { out, captions: captions.data, datasetId });
  io.out(`Exported ${result.images} image(s) and ${result.annotations} caption(s) to ${result.path}`);
}
