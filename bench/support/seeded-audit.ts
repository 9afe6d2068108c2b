/**
 * The audit benches' project: `count` images with demo-world references, a suggest run of 10
 * candidates per image and a reference audit of every reference, seeded straight into SQLite
 * (the image's own five references reworded by other annotators stand in for sampled captions).
 */
import { demoImage } from '../../electron/demo-world/index.js';
import type { Project } from '../../electron/storage/project.js';
import type { NewCandidate } from '../../electron/storage/repos/runs-repo.js';

export const AUDIT_CANDIDATES = 10;

export function seedAuditProject(project: Project, count: number): void {
  const ds = project.datasets.ensure('/bench/demo', 'demo', 'coco');
  const ids: number[] = [];
  const captions = new Map<number, string[]>();
  project.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const image = demoImage('train', 1, i);
      const id = project.images.insert({ datasetId: ds.id, externalId: i + 1, relPath: image.fileName, sha256: `h${i}`, bytes: 1, width: 64, height: 64 });
      image.captions.forEach((text) => project.references.add(id, text, null));
      ids.push(id);
      captions.set(id, [...image.captions, ...demoImage('train', 2, i).captions]);
    }
  })();
  let state = 1;
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const suggest = project.runs.create('suggest', { seeded: 'audit bench' }, ids);
  const audit = project.runs.create('reference-audit', { seeded: 'audit bench' }, ids);
  project.db.transaction(() => {
    for (const id of ids) {
      const texts = captions.get(id)!;
      const sims = texts.map(() => random());
      const order = [...sims].sort((a, b) => b - a);
      const candidates: NewCandidate[] = Array.from({ length: AUDIT_CANDIDATES }, (_, idx) => ({ idx, source: 'sampled', text: texts[idx]!, similarity: sims[idx]!, rank: order.indexOf(sims[idx]!) + 1 }));
      project.runs.completeItem(suggest.id, id, { candidates });
      const refs = project.references.forImage(id);
      project.runs.completeItem(audit.id, id, { candidates: refs.map((r, idx) => ({ idx, source: 'reference', referenceId: r.id, text: r.text, similarity: random(), rank: idx + 1 })) });
    }
  })();
}
