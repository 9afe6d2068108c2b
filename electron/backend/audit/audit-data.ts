/**
 * A suggest run as the audit compares it: each finished image with its references and its
 * distinct sampled captions, best reconstruction first. Identical samples share one
 * reconstruction, so a caption is listed once, under the candidate row of its first sample
 * (as the review view lists it). Images without references or candidates are left out: there
 * is nothing to compare. Read a page of images at a time, handing the event loop back between
 * pages (10,000 images × 10 candidates is 100,000 rows).
 */
import { yieldToEventLoop } from '../../evaluation/report/progress.js';
import { byReconstruction } from '../../engine/evaluation/selection-gain.js';
import type { Project } from '../../storage/project.js';
import type { SampledCandidate } from '../../storage/repos/audit-repo.js';

export interface AuditCaption {
  candidateId: number;
  idx: number;
  text: string;
  similarity: number | null;
  rank: number | null;
}

export interface AuditImage {
  imageId: number;
  references: string[];
  /** Distinct captions, best reconstruction first (no similarity: last), ties by sampling order. */
  captions: AuditCaption[];
}

export interface AuditRunData {
  runId: number;
  /** In run order. */
  images: AuditImage[];
}

const IMAGES_PER_PAGE = 500;

export async function loadAuditRun(project: Project, runId: number): Promise<AuditRunData> {
  const done = project.runResults.items(runId).filter((i) => i.status === 'done').map((i) => i.imageId);
  const images: AuditImage[] = [];
  for (let start = 0; start < done.length; start += IMAGES_PER_PAGE) {
    const page = done.slice(start, start + IMAGES_PER_PAGE);
    const references = project.audit.references(page);
    const candidates = new Map<number, SampledCandidate[]>();
    for (const c of project.audit.sampledCandidates(runId, page)) candidates.set(c.imageId, [...(candidates.get(c.imageId) ?? []), c]);
    for (const imageId of page) {
      const refs = references.get(imageId);
      const captions = distinctCaptions(candidates.get(imageId) ?? []);
      if (refs?.length && captions.length) images.push({ imageId, references: refs, captions });
    }
    await yieldToEventLoop();
  }
  return { runId, images };
}

function distinctCaptions(rows: readonly SampledCandidate[]): AuditCaption[] {
  const byText = new Map<string, AuditCaption>();
  for (const c of rows) {
    if (!byText.has(c.text)) byText.set(c.text, { candidateId: c.id, idx: c.idx, text: c.text, similarity: c.similarity, rank: c.rank });
  }
  const ranked = byReconstruction([...byText.values()].map((c) => ({ ...c, similarity: c.similarity ?? Number.NEGATIVE_INFINITY })));
  return ranked.map((c) => ({ ...c, similarity: Number.isFinite(c.similarity) ? c.similarity : null }));
}
