import type { Db } from '../db.js';

/**
 * Which file an image was imported from, as the file system names it: device, inode and
 * modification time (ms), beside the size and SHA-256 already stored. Media and runs read an
 * image only while its file still has this identity, or, when it moved or was copied (new inode
 * or mtime), while its bytes still hash to the imported SHA-256; a same-size file swapped in or
 * a link retargeted is refused (issue 16). Device and inode are 64-bit unsigned on some file
 * systems, beyond SQLite's signed integers, so they are kept as decimal text. Images imported
 * before this have none: their first read is checked by hash and records what it found.
 */
export default function migrate0007(db: Db): void {
  db.exec(`
    ALTER TABLE images ADD COLUMN file_dev TEXT;
    ALTER TABLE images ADD COLUMN file_ino TEXT;
    ALTER TABLE images ADD COLUMN file_mtime_ms INTEGER;
  `);
}
