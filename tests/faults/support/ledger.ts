/**
 * Acknowledged decisions: written through the API by clients that keep going until the server
 * is killed, and recorded only once their reply arrived. After each kill the ledger is checked
 * against the project's database: every acknowledged decision must be there, as written.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Project } from '../../../electron/storage/project.js';
import type { FaultServer } from './server.js';

export interface Acknowledged {
  id: number;
  imageId: number;
  action: string;
  finalText: string | null;
}

export class DecisionLedger {
  readonly acknowledged: Acknowledged[] = [];
  private serial = 0;

  constructor(
    private readonly imageIds: number[],
    private readonly rand: () => number,
  ) {}

  /** `clients` writers sending decisions:record one after another until `stop()`. */
  startWriters(server: FaultServer, clients = 4): { stop(): Promise<void> } {
    let stopped = false;
    const loops = Array.from({ length: clients }, async () => {
      while (!stopped && server.exit() === null) {
        const imageId = this.imageIds[Math.floor(this.rand() * this.imageIds.length)]!;
        const action = (['edit', 'edit', 'reject', 'skip'] as const)[Math.floor(this.rand() * 4)]!;
        const finalText = action === 'edit' ? `fault-suite caption ${++this.serial}` : null;
        try {
          const reply = await server.invoke('decisions:record', { imageId, action, ...(finalText ? { finalText } : {}) });
          const decision = (reply.result as { decision?: { id: number } } | undefined)?.decision;
          if (reply.ok && decision) this.acknowledged.push({ id: decision.id, imageId, action, finalText });
        } catch {
          // No reply (the server was killed): not acknowledged, so not owed.
        }
        // A pause as a busy annotator team would leave, so the writers do not take the CPU from the work being killed.
        await sleep(5 + this.rand() * 20);
      }
    });
    return {
      stop: async () => {
        stopped = true;
        await Promise.all(loops);
      },
    };
  }

  /** Acknowledged decisions missing from, or different in, the project at `dir`. */
  lost(dir: string): Acknowledged[] {
    const project = Project.open(dir);
    try {
      return this.acknowledged.filter((a) => {
        const d = project.decisions.get(a.id);
        return !d || d.imageId !== a.imageId || d.action !== a.action || d.finalText !== a.finalText;
      });
    } finally {
      project.dispose();
    }
  }
}
