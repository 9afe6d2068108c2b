/**
 * The grid's filter as the images repo takes it. The similarity range, the disagreement flag
 * and (unless it names one) the word name no run: they are resolved here against the latest suggest run with results (the one the
 * audit view opens on), through the audit service's lists, which are computed once per state of
 * that run, into the ids of the images that pass.
 */
import type { ParsedInput } from '../../shared/contract/api.js';
import type { Project } from '../storage/project.js';
import { partitionPoint } from '../storage/partition-point.js';
import type { ImageQuery } from '../storage/repos/images-repo.js';
import type { AuditService } from './audit/audit-service.js';

export type GridFilter = Omit<ParsedInput<'images:neighbours'>, 'id'>;

export async function resolveImageFilter(
  project: Project,
  audit: AuditService,
  { similarityMin, similarityMax, disagreement, word, ...plain }: GridFilter,
): Promise<Omit<ImageQuery, 'offset' | 'limit'>> {
  let ids: number[] | null = null;
  if (similarityMin !== undefined || similarityMax !== undefined) {
    const scores = await audit.suggestionSimilarities(project);
    // Ascending similarities: the range is one slice.
    ids = scores
      ? scores.imageIds.slice(
          similarityMin === undefined ? 0 : partitionPoint(scores.similarities, (s) => s < similarityMin),
          similarityMax === undefined ? undefined : partitionPoint(scores.similarities, (s) => s <= similarityMax),
        )
      : [];
  }
  if (disagreement) ids = narrow(ids, (await audit.disagreeingImages(project))?.imageIds ?? []);
  if (word) ids = narrow(ids, (await audit.wordImages(project, word)) ?? []);
  return ids ? { ...plain, ids: [...ids].sort((a, b) => a - b) } : plain;
}

/** `found`, kept to those already in `ids` when an earlier part of the filter chose some. */
function narrow(ids: number[] | null, found: number[]): number[] {
  if (!ids) return found;
  const within = new Set(ids);
  return found.filter((id) => within.has(id));
}
