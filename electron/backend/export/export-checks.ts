/**
 * Checks every export makes before it writes anything: ids unique, no blank captions unless
 * asked, source image files present where the format copies them. Failures become one ApiError
 * naming the first few offenders of each kind and how many there are; nothing is written.
 */
import { access } from 'node:fs/promises';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { ExportImage } from '../../storage/repos/export-source-repo.js';
import { mapPool } from '../import/map-pool.js';
import { describeImage, type ExportContext } from './export-context.js';

/** Problems found while checking: counted in full, the first few of each kind kept as examples. */
export class ExportProblems {
  private readonly kinds = new Map<string, { code: ErrorCode; count: number; examples: string[]; hint: string }>();

  add(code: ErrorCode, kind: string, example: string, hint: string): void {
    const entry = this.kinds.get(kind) ?? { code, count: 0, examples: [], hint };
    entry.count++;
    if (entry.examples.length < 3) entry.examples.push(example);
    this.kinds.set(kind, entry);
  }

  /** Throws what was found as one error with the first kind's code; nothing when all is well. */
  throwIfAny(): void {
    const all = [...this.kinds.entries()];
    if (all.length === 0) return;
    const sentences = all.map(([kind, { count, examples, hint }]) => `${count} ${kind} (${examples.join('; ')}${count > examples.length ? '; …' : ''}); ${hint}`);
    throw new ApiError(all[0]![1].code, `Cannot export, nothing was written: ${sentences.join('. ')}.`);
  }
}

/** Refuses an export in which two images would get the same id (two datasets from one COCO file). */
export function checkImageIdsUnique(ctx: ExportContext): void {
  const clashes = ctx.source.duplicateExternalIds(ctx.scope);
  if (clashes.length === 0) return;
  const { externalId, first, second } = clashes[0]!;
  throw new ApiError(
    ErrorCode.Conflict,
    `Cannot export: image id ${externalId} would be used twice: by ${describeImage(first)} and by ${describeImage(second)}. ` +
      'Export one dataset at a time (--dataset or --split), or the dataset that holds both.',
  );
}

/** Tracks caption ids from source datasets; a second use of one is a clash. */
export class CaptionIdCheck {
  private readonly seen = new Set<number>();

  constructor(private readonly problems: ExportProblems) {}

  claim(id: number | null, image: ExportImage): void {
    if (id === null) return;
    if (this.seen.has(id)) {
      this.problems.add(ErrorCode.Conflict, 'caption ids would be used twice', `${id} by a caption of ${describeImage(image)}`, 'export one dataset at a time (--dataset or --split)');
    } else {
      this.seen.add(id);
    }
  }
}

export function checkCaptionText(ctx: ExportContext, problems: ExportProblems, text: string, image: ExportImage): void {
  if (!ctx.request.allowEmpty && text.trim() === '') {
    problems.add(ErrorCode.InvalidInput, 'captions are blank', describeImage(image), 'pass --allow-empty to write them anyway');
  }
}

/** The files a folder export copies or links must be there. */
export async function checkFilesExist(problems: ExportProblems, files: readonly { file: string; image: ExportImage }[]): Promise<void> {
  await mapPool(files, 16, async ({ file, image }) => {
    await access(file).catch(() =>
      problems.add(ErrorCode.NotFound, 'image files are missing', `${file} (${describeImage(image)})`, 'restore them, or leave those images out with --status or --split'),
    );
  });
}

/**
 * Refuses an export that would hold nothing (an empty COCO file, a folder of no images): it
 * "succeeds" here and fails later, far from the cause. `hint` says why and what to do instead.
 */
export function refuseEmpty(ctx: ExportContext, written: number, hint = nothingInScope(ctx)): void {
  if (written > 0 || ctx.request.allowEmpty) return;
  throw new ApiError(ErrorCode.NotFound, `Nothing to export as ${ctx.request.format}: ${hint}. Pass --allow-empty to write an empty export anyway (nothing was written).`);
}

/** Why an export of captions came out empty: no images in scope, or none with a caption. */
export function nothingInScope(ctx: ExportContext): string {
  const { datasetId, split, statuses, captions } = ctx.request;
  const filtered = datasetId !== undefined || split !== undefined || statuses !== undefined;
  if (ctx.total === 0) return filtered ? 'no image matches the filters (--split, --dataset, --status)' : 'the project has no images (import some with roundtrip import)';
  return captions === 'decided-only'
    ? `none of the ${ctx.total} image(s) in scope has a decided caption (accept or edit some, or use --captions prefer-decided)`
    : `none of the ${ctx.total} image(s) in scope has a caption`;
}
