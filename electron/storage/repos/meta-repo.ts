import type { Db } from '../db.js';

/** Small key/value facts about the project (its name, when it was created). */
export class MetaRepo {
  constructor(private readonly db: Db) {}

  get(key: string): string | undefined {
    return this.db.prepare(`SELECT value FROM project_meta WHERE key = ?`).pluck().get(key) as string | undefined;
  }

  set(key: string, value: string): void {
    this.db
      .prepare(`INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
      .run(key, value);
  }
}
