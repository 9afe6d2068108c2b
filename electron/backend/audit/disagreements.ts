/**
 * Disagreements between the reconstruction ranking and the references: per image of a suggest
 * run, the caption whose reconstruction came closest to the source (what Roundtrip suggests)
 * against the caption that scores best by CIDEr-D against the image's human references. Where
 * they differ, the CIDEr-D the suggestion gives up says how strongly they disagree. CIDEr-D is
 * the COCO toolkit's, over the run's evaluated images (document frequencies from their
 * references), so per-image values equal the evaluation report's for the same run.
 */
import { CiderDocumentFrequencies, CiderScorer } from '../../metrics/cider.js';
import { TokenCache } from '../../metrics/caption-corpus.js';
import type { NgramCounts } from '../../metrics/ngrams.js';
import type { AuditCaption, AuditRunData } from './audit-data.js';
import { forEachSliced } from './slices.js';

export interface ScoredCaption extends AuditCaption {
  cider: number;
}

export interface ImageDisagreement {
  imageId: number;
  reconstructionBest: ScoredCaption;
  captionBest: ScoredCaption;
  ciderGap: number;
  similarityGap: number | null;
}

export interface DisagreementList {
  /** Images compared. */
  images: number;
  /** Images that disagree, strongest first (ties: run order). */
  items: ImageDisagreement[];
}

/** Progress in images: references counted, then captions scored (two passes over the images). */
export type ImagesProgress = (done: number, total: number) => void;

export async function computeDisagreements(data: AuditRunData, onProgress?: ImagesProgress): Promise<DisagreementList> {
  const tokens = new TokenCache();
  const { images } = data;
  if (images.length === 0) return { images: 0, items: [] };
  // References tokenized and counted a slice at a time: at 10,000 images this alone takes seconds.
  const frequencies = new CiderDocumentFrequencies();
  const references: NgramCounts[][] = [];
  await forEachSliced(images, (image) => {
    const counts = image.references.map((r) => tokens.get(r).counts);
    frequencies.add(counts);
    references.push(counts);
  }, (done) => onProgress?.(done, 2 * images.length));
  const cider = new CiderScorer(references, frequencies);
  const items: (ImageDisagreement & { order: number })[] = [];
  await forEachSliced(images, (image, index) => {
    const scored = image.captions.map((c) => ({ ...c, cider: cider.score(index, tokens.get(c.text).counts) }));
    const reconstructionBest = scored[0]!;
    // The first of the best scores in reconstruction order: a tie goes to the suggestion, so it is no disagreement.
    const captionBest = scored.reduce((best, c) => (c.cider > best.cider ? c : best));
    if (captionBest === reconstructionBest) return;
    const similarityGap =
      reconstructionBest.similarity !== null && captionBest.similarity !== null ? reconstructionBest.similarity - captionBest.similarity : null;
    items.push({ imageId: image.imageId, reconstructionBest, captionBest, ciderGap: captionBest.cider - reconstructionBest.cider, similarityGap, order: index });
  }, (done) => onProgress?.(images.length + done, 2 * images.length));
  items.sort((a, b) => b.ciderGap - a.ciderGap || a.order - b.order);
  return { images: images.length, items: items.map(({ order: _order, ...item }) => item) };
}
