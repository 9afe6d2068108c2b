/** One short message at a time ("Saved", or an error), dismissed after a few seconds. */
import { InjectionToken } from '../../app/context.js';

export type ToastKind = 'info' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

export class ToastState {
  current = $state.raw<Toast | null>(null);
  private nextId = 1;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly durationMs = 2500) {}

  show(text: string, kind: ToastKind = 'info'): void {
    if (this.timer) clearTimeout(this.timer);
    const toast = { id: this.nextId++, kind, text };
    this.current = toast;
    // Errors stay longer: they usually need reading.
    this.timer = setTimeout(() => this.dismiss(toast.id), kind === 'error' ? this.durationMs * 2 : this.durationMs);
  }

  dismiss(id?: number): void {
    if (id !== undefined && this.current?.id !== id) return;
    this.current = null;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

export const TOAST_STATE = new InjectionToken<ToastState>('ToastState');
