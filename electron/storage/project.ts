/**
 * A project on disk: a folder holding `roundtrip.db` (SQLite, WAL) and `assets/` for files
 * Roundtrip generates (thumbnails now; reconstructions later). Source images stay where they
 * are and are referenced by dataset root + relative path + content hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import type { ProjectInfo } from '../../shared/contract/schemas.js';
import { makeFolderSync } from '../files/make-folder.js';
import { openDatabase, type Db } from './db.js';
import { schemaVersion } from './migrations/index.js';
import { AuditRepo } from './repos/audit-repo.js';
import { DatasetsRepo } from './repos/datasets-repo.js';
import { DecisionsRepo } from './repos/decisions-repo.js';
import { ExportsRepo } from './repos/exports-repo.js';
import { ImagesRepo } from './repos/images-repo.js';
import { MetaRepo } from './repos/meta-repo.js';
import { NotesRepo } from './repos/notes-repo.js';
import { ReferencesRepo } from './repos/references-repo.js';
import { ReviewRepo } from './repos/review-repo.js';
import { RunResultsRepo } from './repos/run-results-repo.js';
import { RunsRepo } from './repos/runs-repo.js';

export const DB_FILE = 'roundtrip.db';

export class Project {
  readonly datasets: DatasetsRepo;
  readonly images: ImagesRepo;
  readonly references: ReferencesRepo;
  readonly decisions: DecisionsRepo;
  readonly meta: MetaRepo;
  readonly runs: RunsRepo;
  /** A run's results in bulk, for evaluation reports. */
  readonly runResults: RunResultsRepo;
  /** The log of finished exports. */
  readonly exports: ExportsRepo;
  /** The review queue and a run's candidates per image, for the review view. */
  readonly review: ReviewRepo;
  /** The audit view's reads: newest runs with results, weak references by page, image labels. */
  readonly audit: AuditRepo;
  /** Researchers' notes and tags on images. */
  readonly notes: NotesRepo;

  private cachedMediaKey: string | undefined;

  private constructor(
    readonly dir: string,
    readonly db: Db,
  ) {
    this.datasets = new DatasetsRepo(db);
    this.images = new ImagesRepo(db);
    this.references = new ReferencesRepo(db);
    this.decisions = new DecisionsRepo(db);
    this.meta = new MetaRepo(db);
    this.runs = new RunsRepo(db);
    this.runResults = new RunResultsRepo(db);
    this.exports = new ExportsRepo(db);
    this.review = new ReviewRepo(db);
    this.audit = new AuditRepo(db);
    this.notes = new NotesRepo(db);
  }

  /** Creates a project in `dir` (which may exist but must not hold anything but a project). */
  static create(dir: string, name?: string): Project {
    const root = resolve(dir);
    if (existsSync(join(root, DB_FILE))) {
      throw new ApiError(ErrorCode.Conflict, `${root} already holds a Roundtrip project; open it instead.`);
    }
    if (existsSync(root)) {
      if (!statSync(root).isDirectory()) throw new ApiError(ErrorCode.Conflict, `${root} is a file, not a folder.`);
      if (readdirSync(root).some((f) => !f.startsWith('.'))) {
        throw new ApiError(ErrorCode.Conflict, `${root} is not empty; choose an empty or new folder for the project.`);
      }
    }
    try {
      makeFolderSync(join(root, 'assets'));
    } catch (error) {
      throw new ApiError(ErrorCode.Io, `Cannot create project folder ${root}: ${(error as Error).message}`);
    }
    const project = new Project(root, openDatabase(join(root, DB_FILE), { create: true }));
    project.meta.set('name', name?.trim() || basename(root));
    project.meta.set('created_at', new Date().toISOString());
    return project;
  }

  static open(dir: string): Project {
    const root = resolve(dir);
    const file = join(root, DB_FILE);
    if (!existsSync(file)) {
      throw new ApiError(
        ErrorCode.ProjectInvalid,
        `${root} is not a Roundtrip project (no ${DB_FILE}). Create one with \`roundtrip init ${dir}\`.`,
      );
    }
    mkdirSync(join(root, 'assets'), { recursive: true });
    return new Project(root, openDatabase(file, { create: false }));
  }

  static exists(dir: string): boolean {
    return existsSync(join(resolve(dir), DB_FILE));
  }

  get assetsDir(): string {
    return join(this.dir, 'assets');
  }

  /** The project's folder and creation time, hashed: stable for the project, different for a copy or another project. */
  get mediaKey(): string {
    return (this.cachedMediaKey ??= createHash('sha256').update(`${this.dir}\0${this.meta.get('created_at') ?? ''}`).digest('hex').slice(0, 16));
  }

  info(): ProjectInfo {
    return {
      path: this.dir,
      mediaKey: this.mediaKey,
      name: this.meta.get('name') ?? basename(this.dir),
      schemaVersion: schemaVersion(this.db),
      datasetCount: this.db.prepare(`SELECT COUNT(*) FROM datasets`).pluck().get() as number,
      imageCount: this.images.count(),
    };
  }

  dispose(): void {
    if (this.db.open) this.db.close();
  }
}
