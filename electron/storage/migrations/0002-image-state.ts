import type { Db } from '../db.js';

/**
 * A per-image cache of the decision in force, so the grid can filter 100,000 images by
 * status without replaying the decision log. The log stays the truth: this table is
 * rebuilt from it here and kept in step by the decision repository in the same transaction.
 */
export default function migrate0002(db: Db): void {
  db.exec(`
    CREATE TABLE image_state (
      image_id INTEGER PRIMARY KEY REFERENCES images(id),
      decision_id INTEGER REFERENCES decisions(id),
      status TEXT NOT NULL CHECK (status IN ('undecided', 'accepted', 'edited', 'rejected', 'skipped')),
      caption TEXT
    );
    CREATE INDEX image_state_status ON image_state(status);

    INSERT INTO image_state (image_id, decision_id, status, caption)
    SELECT i.id, d.id,
      CASE d.action WHEN 'accept' THEN 'accepted' WHEN 'edit' THEN 'edited'
        WHEN 'reject' THEN 'rejected' WHEN 'skip' THEN 'skipped' ELSE 'undecided' END,
      CASE WHEN d.action IN ('accept', 'edit') THEN d.final_text END
    FROM images i
    LEFT JOIN decisions d ON d.id = (
      SELECT e.id FROM decisions e
      WHERE e.image_id = i.id AND e.action <> 'undo'
        AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_id = e.id)
      ORDER BY e.id DESC LIMIT 1
    );
  `);
}
