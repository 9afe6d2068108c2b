/**
 * `roundtrip export DIR --format F --out PATH [--split S | --dataset ID] [--status accepted,edited]
 *  [--captions prefer-decided|references|decided-only] [--include-references] [--run RUN]
 *  [--generator-set] [--allow-empty] [--link copy|hardlink|symlink]`
 */
import { ExportFormatSchema, LinkModeSchema, type ExportRequestInput } from '../../../shared/contract/export-schemas.js';
import { CaptionSourceSchema, ImageStatusSchema } from '../../../shared/contract/schemas.js';
import { CliFailure } from '../cli-io.js';
import type { CommandContext } from '../command.js';

export const EXPORT_USAGE =
  `export DIR --format ${ExportFormatSchema.options.join('|')} --out PATH [--split S | --dataset ID] [--status accepted,edited] ` +
  '[--captions prefer-decided|references|decided-only] [--include-references] [--run RUN] [--generator-set] [--allow-empty] [--link copy|hardlink|symlink]';

export const EXPORT_OPTIONS = {
  format: { type: 'string' },
  out: { type: 'string' },
  split: { type: 'string' },
  dataset: { type: 'string' },
  status: { type: 'string' },
  captions: { type: 'string' },
  'include-references': { type: 'boolean' },
  run: { type: 'string' },
  'generator-set': { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  link: { type: 'string' },
} as const;

export async function exportCommand({ positionals, values, client, io }: CommandContext): Promise<void> {
  const request = exportRequestFrom(values);
  await client.call('project:open', { path: positionals[0]! });
  const result = await client.call('export:write', request);
  const listed = result.format === 'coco-captions' ? 'listed without annotations' : 'left out';
  const skipped = result.withoutCaption > 0 ? `; ${result.withoutCaption} image(s) without a caption ${listed}` : '';
  const noun = result.format === 'scores' ? 'score row(s)' : 'caption(s)';
  io.out(`Exported ${result.images} image(s) and ${result.captions} ${noun} as ${result.format} to ${result.path}${skipped} (export ${result.id}, ${(result.durationMs / 1000).toFixed(1)} s)`);
}

export function exportRequestFrom(values: CommandContext['values']): ExportRequestInput {
  const format = ExportFormatSchema.safeParse(values.format ?? 'coco-captions');
  if (!format.success) throw new CliFailure(`Unknown export format "${String(values.format)}"; available: ${ExportFormatSchema.options.join(', ')}`, 2);
  const out = values.out;
  if (typeof out !== 'string' || !out) throw new CliFailure(`export needs --out ${['karpathy', 'hf-imagefolder', 'sidecar-txt'].includes(format.data) ? 'FOLDER' : 'FILE'}`, 2);
  const captions = CaptionSourceSchema.safeParse(values.captions ?? 'prefer-decided');
  if (!captions.success) throw new CliFailure(`--captions must be one of ${CaptionSourceSchema.options.join(', ')}`, 2);
  const link = LinkModeSchema.safeParse(values.link ?? 'copy');
  if (!link.success) throw new CliFailure(`--link must be one of ${LinkModeSchema.options.join(', ')}`, 2);
  const request: ExportRequestInput = {
    format: format.data,
    out,
    captions: captions.data,
    includeReferences: values['include-references'] === true,
    generatorSet: values['generator-set'] === true,
    allowEmpty: values['allow-empty'] === true,
    linkImages: link.data,
  };
  if (typeof values.status === 'string') request.statuses = statuses(values.status);
  if (typeof values.dataset === 'string') request.datasetId = id(values.dataset, '--dataset');
  if (typeof values.split === 'string') request.split = values.split;
  if (typeof values.run === 'string') request.runId = id(values.run, '--run');
  return request;
}

function statuses(list: string): NonNullable<ExportRequestInput['statuses']> {
  return list.split(',').map((s) => {
    const parsed = ImageStatusSchema.safeParse(s.trim());
    if (!parsed.success) throw new CliFailure(`--status takes a comma-separated list of ${ImageStatusSchema.options.join(', ')}; "${s}" is none of them`, 2);
    return parsed.data;
  });
}

function id(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliFailure(`${flag} must be an id (a whole number from 1)`, 2);
  return n;
}
