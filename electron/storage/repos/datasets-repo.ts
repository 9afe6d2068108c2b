import type { Db } from '../db.js';
import type { StoredDatasetKind } from './stored-values.js';

interface DatasetRow {
  id: number;
  name: string;
  root_path: string;
  kind: StoredDatasetKind;
  created_at: string;
  image_count: number;
}

/** A dataset (an imported folder or COCO file) with how many images it holds (services map it to the API's Dataset). */
export interface DatasetRecord {
  id: number;
  name: string;
  rootPath: string;
  kind: StoredDatasetKind;
  createdAt: string;
  imageCount: number;
}

const toRecord = (r: DatasetRow): DatasetRecord => ({
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

  list(): DatasetRecord[] {
    return (this.db.prepare(`${SELECT} ORDER BY d.id`).all() as DatasetRow[]).map(toRecord);
  }

  get(id: number): DatasetRecord | undefined {
    const row = this.db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DatasetRow | undefined;
    return row && toRecord(row);
  }

  /** The dataset rooted at `rootPath`, created if it does not exist yet (re-imports reuse it). */
  ensure(rootPath: string, name: string, kind: StoredDatasetKind): DatasetRecord {
    const existing = this.db.prepare(`${SELECT} WHERE d.root_path = ?`).get(rootPath) as DatasetRow | undefined;
    if (existing) return toRecord(existing);
    const { lastInsertRowid } = this.db
      .prepare(`INSERT INTO datasets (name, root_path, kind, created_at) VALUES (?, ?, ?, ?)`)
      .run(name, rootPath, kind, new Date().toISOString());
    return this.get(Number(lastInsertRowid))!;
  }
}
