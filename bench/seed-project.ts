/** Seeds a project with many images straight through SQL, for benchmarks and the large-grid test. */
import { Project } from '../electron/storage/project.js';

export function seedImages(project: Project, count: number, rootPath = '/bench/images'): void {
  const ds = project.datasets.ensure(rootPath, 'bench', 'coco');
  const insert = project.db.prepare(
    `INSERT INTO images (dataset_id, external_id, rel_path, sha256, bytes, width, height, created_at) VALUES (?, ?, ?, ?, 1000, 64, 64, 'now')`,
  );
  const state = project.db.prepare(`INSERT INTO image_state (image_id, status) VALUES (?, 'undecided')`);
  const ref = project.db.prepare(`INSERT INTO reference_captions (image_id, external_id, text) VALUES (?, ?, ?)`);
  const words = ['red', 'blue', 'green', 'lemur', 'monkey', 'square', 'circle', 'small', 'large', 'left'];
  project.db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const id = Number(insert.run(ds.id, i, `img_${String(i).padStart(6, '0')}.jpg`, `sha${i}`).lastInsertRowid);
      state.run(id);
      ref.run(id, 2 * i, `a ${words[i % 10]} ${words[(i * 7) % 10]} near a ${words[(i * 3) % 10]}`);
      ref.run(id, 2 * i + 1, `image number ${i}`);
    }
  })();
}
