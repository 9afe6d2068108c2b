import type { Dataset } from '../../../shared/contract/schemas.js';
import type { Db } from '../db.js';

interface DatasetRow {
  id: number;
  name: string;
  root_path: string;
  kind: 'folder' | 'coco';
  created_at: string;
  image_count: number;
}

const toDataset = (r: DatasetRow): Dataset => ({
  id: r.id,
  name: r.name,
  rootPath: r.root_path,
  kind: r.kind,
  createdAt: r.created_at,
  imageCount: r.image_count,
});

const SELECT = `SELECT d.*, (SELECT COUNT(*) FROM images i WHERE i.dataset_id = d.id) AS image_count FROM datasets d`;

export class DatasetsRepo {
  constructor(private readonly db: Db) {}

  list(): Dataset[] {
    return (this.db.prepare(`${SELECT} ORDER BY d.id`).all() as DatasetRow[]).map(toDataset);
  }

  get(id: number): Dataset | undefined {
    const row = this.db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DatasetRow | undefined;
    return row && toDataset(row);
  }

  /** The dataset rooted at `rootPath`, created if it does not exist yet (re-imports reuse it). */
  ensure(rootPath: string, name: string, kind: Dataset['kind']): Dataset {
    const existing = this.db.prepare(`${SELECT} WHERE d.root_path = ?`).get(rootPath) as DatasetRow | undefined;
    if (existing) return toDataset(existing);
    const { lastInsertRowid } = this.db
      .prepare(`INSERT INTO datasets (name, root_path, kind, created_at) VALUES (?, ?, ?, ?)`)
      .run(name, rootPath, kind, new Date().toISOString());
    return this.get(Number(lastInsertRowid))!;
  }
}
