/** The note and tags of the image open in the image view: loaded with the image, saved on request. */
import type { ImageNote } from '../../../../shared/contract/audit-schemas.js';
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';
import { parseTags } from './tags.js';

export class NotesState {
  note = $state.raw<ImageNote | null>(null);
  saving = $state(false);
  error = $state.raw<ApiErrorShape | null>(null);
  private seq = 0;
  /** The image whose note was asked for last: a save answering for another image leaves `note` alone. */
  private current: number | null = null;

  constructor(
    private readonly client: ApiClient,
    private readonly onSaved: (message: string) => void,
  ) {}

  async load(imageId: number): Promise<void> {
    const seq = ++this.seq;
    this.current = imageId;
    this.note = null;
    this.error = null;
    try {
      const note = await this.client.call('notes:get', { imageId });
      if (seq === this.seq) this.note = note;
    } catch (e) {
      if (seq === this.seq) this.error = toErrorShape(e);
    }
  }

  /** Saves a note left unsaved when its image was moved away from, leaving the note in view alone. */
  async keep(imageId: number, text: string, tagsText: string): Promise<void> {
    try {
      await this.client.call('notes:set', { imageId, note: text, tags: parseTags(tagsText) });
      this.onSaved('The unsaved note of the previous image was saved');
    } catch (e) {
      this.error = toErrorShape(e);
    }
  }

  async save(imageId: number, text: string, tagsText: string): Promise<void> {
    this.saving = true;
    this.error = null;
    try {
      const saved = await this.client.call('notes:set', { imageId, note: text, tags: parseTags(tagsText) });
      if (imageId === this.current) this.note = saved;
      this.onSaved(saved.note || saved.tags.length ? 'Note saved' : 'Note removed');
    } catch (e) {
      this.error = toErrorShape(e);
    } finally {
      this.saving = false;
    }
  }
}

export const NOTES_STATE = new InjectionToken<NotesState>('NotesState');
