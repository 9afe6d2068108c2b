/** The image open in the image view: its detail, and recording or undoing decisions on it. */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import type { ImageDetail, RecordableAction } from '../../../../shared/contract/schemas.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';
import type { GridFilterInput } from '../grid/grid-state.svelte.js';

export interface ImageStateCallbacks {
  /** After any decision or undo, so other views can show the new status. */
  onChanged(detail: ImageDetail): void;
  onSaved(message: string): void;
  onError(error: ApiErrorShape): void;
  /** The grid's filter, so previous/next stay within what the grid shows. */
  filter(): GridFilterInput;
}

export class ImageState {
  /** Which image is open; null means the grid is showing. */
  openId = $state<number | null>(null);
  detail = $state.raw<ImageDetail | null>(null);
  loading = $state(false);
  saving = $state(false);
  error = $state.raw<ApiErrorShape | null>(null);
  /** Guards against a slow reply for an image the user already left. */
  private requestSeq = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly callbacks: ImageStateCallbacks,
  ) {}

  async open(id: number): Promise<void> {
    this.openId = id;
    const seq = ++this.requestSeq;
    this.loading = true;
    this.error = null;
    try {
      const detail = await this.client.call('images:get', { id });
      if (seq === this.requestSeq) this.detail = detail;
    } catch (e) {
      if (seq === this.requestSeq) this.error = toErrorShape(e);
    } finally {
      if (seq === this.requestSeq) this.loading = false;
    }
  }

  close(): void {
    this.openId = null;
    this.requestSeq++;
  }

  accept(referenceIndex: number): Promise<void> {
    const ref = this.detail?.references[referenceIndex];
    if (!ref) return Promise.resolve();
    return this.record('accept', { referenceId: ref.id, finalText: ref.text }, `Accepted reference ${referenceIndex + 1}`);
  }

  saveEdit(finalText: string): Promise<void> {
    return this.record('edit', { finalText }, 'Saved');
  }

  reject(): Promise<void> {
    return this.record('reject', {}, 'Rejected');
  }

  skip(): Promise<void> {
    return this.record('skip', {}, 'Skipped');
  }

  async undo(): Promise<void> {
    const id = this.detail?.id;
    if (id === undefined) return;
    await this.mutate(() => this.client.call('decisions:undo', { imageId: id }), 'Undone');
  }

  /** Moves to the neighbouring image; returns false at either end. */
  async go(direction: 'previous' | 'next'): Promise<boolean> {
    const id = this.openId;
    if (id === null) return false;
    try {
      const n = await this.client.call('images:neighbours', { id, ...this.callbacks.filter() });
      const target = n[direction];
      if (target === null || this.openId !== id) return false;
      await this.open(target);
      return true;
    } catch (e) {
      this.callbacks.onError(toErrorShape(e));
      return false;
    }
  }

  private record(
    action: RecordableAction,
    extra: { finalText?: string; referenceId?: number },
    message: string,
  ): Promise<void> {
    const id = this.detail?.id;
    if (id === undefined) return Promise.resolve();
    return this.mutate(() => this.client.call('decisions:record', { imageId: id, action, ...extra }), message);
  }

  private async mutate(action: () => Promise<ImageDetail>, message: string): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    try {
      const detail = await action();
      if (detail.id === this.openId) this.detail = detail;
      this.callbacks.onChanged(detail);
      this.callbacks.onSaved(message);
    } catch (e) {
      this.callbacks.onError(toErrorShape(e));
    } finally {
      this.saving = false;
    }
  }
}

export const IMAGE_STATE = new InjectionToken<ImageState>('ImageState');
