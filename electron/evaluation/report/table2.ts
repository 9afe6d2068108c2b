/**
 * Table 2 of a verify-images run (text → image → text), through the engine's definitions
 * (`imageSelectionGain`: the selected image — its re-caption closest to the text — vs. the mean
 * of the text's N images vs. the first seed's image, by the run's recorded similarity to the
 * dataset's real image), per split too, the re-captions' closeness to the text, and, given an
 * image embedder, the Fréchet distance to the real images of the selected set and of the
 * first-seed set (one image per text each; the real set holds each source image once).
 */
import { join } from 'node:path';
import type { ReportModel, Table2 } from '../../../shared/contract/report-schemas.js';
import { groupBySourceText, type ImageSelectionGain, imageSelectionGain } from '../../engine/evaluation/image-selection-gain.js';
import type { ImageEmbedder } from '../../inference/embedders/types.js';
import { imageSetFrechetDistance, imageSetStats } from '../embedding/index.js';
import { firstLine, isAbort, type ReportProgress } from './progress.js';
import type { VerifyImagesRunData } from './run-data.js';
import { finite, mean } from './stats.js';

type Row = VerifyImagesRunData['rows'][number];

export interface Table2Options {
  projectDir: string;
  progress: ReportProgress;
  datasetNames: ReadonlyMap<number, string>;
  /** For the Fréchet distances; none: they are left out. */
  imageEmbedder?: { embedder: ImageEmbedder; model: ReportModel } | undefined;
}

/** Work units of `computeTable2`: one per text, plus every image embedded for the Fréchet distances. */
export function table2Units(data: VerifyImagesRunData, withEmbedder: boolean): number {
  const texts = groupBySourceText(data.rows).length;
  const real = new Set(data.rows.map((r) => r.imageId)).size;
  return texts + (withEmbedder && texts >= 2 ? real + 2 * texts : 0);
}

export async function computeTable2(data: VerifyImagesRunData, options: Table2Options): Promise<Table2 | null> {
  const groups = groupBySourceText(data.rows);
  if (groups.length === 0) return null;
  const { progress } = options;
  progress.begin(`Table 2, run ${data.run.id}`);
  const gain = imageSelectionGain(groups);
  const selectedOf = (g: Row[]) => [...g].sort((a, b) => a.rank - b.rank || a.idx - b.idx)[0]!;
  const firstSeedOf = (g: Row[]) => [...g].sort((a, b) => a.idx - b.idx)[0]!;
  const all = groups.flat();
  const splits = [...new Set(groups.map((g) => g[0]!.datasetId))].sort((a, b) => a - b).map((datasetId) => {
    const own = groups.filter((g) => g[0]!.datasetId === datasetId);
    return { datasetId, name: options.datasetNames.get(datasetId) ?? `dataset ${datasetId}`, texts: own.length, similarity: triple(imageSelectionGain(own)) };
  });
  await progress.step(groups.length);

  let frechet: Table2['frechet'] = null;
  let note: string | null = null;
  if (!options.imageEmbedder) note = 'No image embedder for this report: Fréchet distances left out (roundtrip eval --embedder MODELDIR).';
  else if (groups.length < 2 || new Set(groups.map((g) => g[0]!.imageId)).size < 2) note = 'Fewer than two texts or real images: no Fréchet distance.';
  else {
    try {
      frechet = await frechetDistances(groups.map(selectedOf), groups.map(firstSeedOf), options);
    } catch (error) {
      // A generated image deleted from the project's assets, say: the similarities stand.
      if (isAbort(error)) throw error;
      note = `Fréchet distances left out: ${firstLine(error)}`;
    }
  }

  return {
    runId: data.run.id,
    texts: gain.texts,
    imagesPerText: gain.imagesPerText,
    similarity: triple(gain),
    distance: { selected: finite(gain.distance.selected), mean: finite(gain.distance.mean), random: finite(gain.distance.random) },
    gainOverMeanPercent: finite(gain.gainOverMeanPercent),
    gainOverRandomPercent: finite(gain.gainOverRandomPercent),
    selectedBeatsMean: finite(gain.selectedBeatsMean),
    recaption: {
      textSimilarity: { selected: meanOf(groups.map(selectedOf), (r) => r.textSimilarity), mean: meanOf(all, (r) => r.textSimilarity) },
      cider: { selected: meanOf(groups.map(selectedOf), (r) => r.cider), mean: meanOf(all, (r) => r.cider) },
    },
    splits,
    frechet,
    note,
  };
}

function triple(g: ImageSelectionGain): Table2['similarity'] {
  return { selected: finite(g.selected), mean: finite(g.mean), random: finite(g.random) };
}

function meanOf(rows: readonly Row[], value: (r: Row) => number | null): number | null {
  const values = rows.map(value).filter((v): v is number => v !== null);
  return values.length ? finite(mean(values)) : null;
}

async function frechetDistances(selected: Row[], firstSeed: Row[], options: Table2Options): Promise<NonNullable<Table2['frechet']>> {
  const { embedder, model } = options.imageEmbedder!;
  const { progress } = options;
  const signal = progress.signal;
  const real = [...new Map(selected.map((r) => [r.imageId, r.realFile])).values()];
  const generated = (rows: Row[]) => rows.map((r) => join(options.projectDir, r.path));
  let base = progress.completed;
  const step = (done: number) => progress.skipTo(base + done);
  progress.begin(`Table 2, run ${selected[0]!.runId}: embedding real images`);
  const realStats = await imageSetStats(embedder, real, { ...(signal ? { signal } : {}), onProgress: step });
  base = progress.completed;
  progress.begin(`Table 2, run ${selected[0]!.runId}: embedding selected images`);
  const chosen = await imageSetFrechetDistance(embedder, realStats, generated(selected), { ...(signal ? { signal } : {}), onProgress: step });
  base = progress.completed;
  progress.begin(`Table 2, run ${selected[0]!.runId}: embedding first-seed images`);
  const random = await imageSetFrechetDistance(embedder, realStats, generated(firstSeed), { ...(signal ? { signal } : {}), onProgress: step });
  return {
    model,
    realImages: real.length,
    selected: { distance: finite(chosen.distance), images: chosen.counts[1] },
    random: { distance: finite(random.distance), images: random.counts[1] },
  };
}
