import { events, type EventName, type EventPayload } from '../../shared/contract/api.js';

export type EventListener = (event: EventName, payload: unknown) => void;

/** Fans backend events out to every connected transport. Payloads are checked against the contract. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload);
    for (const listener of this.listeners) listener(event, checked);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
