/** Running an import (folder of images, or COCO captions) and keeping its report. */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import type { ImportReport } from '../../../../shared/contract/schemas.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';
import { requireFullPath } from '../util/full-path.js';
import type { JobProgressState } from '../jobs/job-progress.svelte.js';

export type ImportKind = 'folder' | 'coco';

export class ImportState {
  running = $state(false);
  lastKind = $state<ImportKind | null>(null);
  report = $state.raw<ImportReport | null>(null);
  error = $state.raw<ApiErrorShape | null>(null);

  constructor(
    private readonly client: ApiClient,
    private readonly jobs: JobProgressState,
    /** Lets the project header and grid pick up new images. */
    private readonly onImported: (report: ImportReport) => void,
  ) {}

  importFolder(folder: string): Promise<void> {
    return this.run('folder', () => this.client.call('import:folder', { folder: requireFullPath('Folder of images', folder) }));
  }

  importCoco(file: string, images: string): Promise<void> {
    return this.run('coco', () =>
      this.client.call('import:coco', { file: requireFullPath('COCO captions JSON', file), images: requireFullPath('Images folder', images) }),
    );
  }

  /** Asks the import in flight to stop; it then ends with a CANCELLED error saying what it kept. */
  async cancel(): Promise<void> {
    if (!this.running) return;
    try {
      await this.client.call('import:cancel', {});
    } catch (e) {
      this.error = toErrorShape(e);
    }
  }

  private async run(kind: ImportKind, action: () => Promise<ImportReport>): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.lastKind = kind;
    this.report = null;
    this.error = null;
    this.jobs.clear('import');
    try {
      this.report = await action();
      this.onImported(this.report);
    } catch (e) {
      this.error = toErrorShape(e);
    } finally {
      this.running = false;
    }
  }

  /** Forget the last outcome, e.g. when another project is opened. */
  clear(): void {
    this.report = null;
    this.error = null;
  }
}

export const IMPORT_STATE = new InjectionToken<ImportState>('ImportState');
