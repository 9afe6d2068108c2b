import { describe, expect, it } from 'vitest';
import type { ReviewQueueEntry } from '../../../../shared/contract/review-schemas.js';
import { QueueSnapshot } from './queue-snapshot.js';

const entry = (imageId: number): ReviewQueueEntry => ({ imageId, status: 'undecided', similarity: null, margin: null });

/** A backend queue of ids 1..n whose pages continue after a cursor, recording each request. */
function backend(n: number) {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const requests: (number | undefined)[] = [];
  const fetch = async (after: number | undefined, limit: number) => {
    requests.push(after);
    const start = after === undefined ? 0 : ids.indexOf(after) + 1;
    return { runId: 7, total: ids.length, items: ids.slice(start, start + limit).map(entry) };
  };
  return { ids, requests, fetch };
}

describe('QueueSnapshot', () => {
  it('loads the first page, then the next ones ahead of the position, after the last image fetched', async () => {
    const b = backend(25);
    const q = new QueueSnapshot(b.fetch, 10, 3);
    await q.load();
    expect([q.length, q.total, q.runId, q.at(0)?.imageId]).toEqual([10, 25, 7, 1]);
    await q.ensure(5);
    expect(q.length).toBe(10);
    await q.ensure(7); // within the lookahead of the end
    expect(q.length).toBe(20);
    await q.ensure(30);
    expect([q.length, q.total, q.isPastEnd(25), q.isPastEnd(24)]).toEqual([25, 25, true, false]);
    expect(b.requests).toEqual([undefined, 10, 20]);
  });

  it('keeps images in place when an undo inserts one, and pages on from the backend’s cursor', async () => {
    const b = backend(12);
    const q = new QueueSnapshot(b.fetch, 5, 1);
    await q.load();
    q.insert(2, entry(99));
    expect([q.at(2)?.imageId, q.at(3)?.imageId, q.indexOf(99), q.total]).toEqual([99, 3, 2, 13]);
    await q.ensure(5);
    expect(b.requests.at(-1)).toBe(5);
    q.update(4, { status: 'accepted' });
    expect(q.at(q.indexOf(4))).toMatchObject({ imageId: 4, status: 'accepted' });
  });

  it('drops a page that arrives for a snapshot taken before the latest load', async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => (release = r));
    let calls = 0;
    const q = new QueueSnapshot(async () => {
      calls++;
      if (calls === 1) await slow;
      return { runId: null, total: 1, items: [entry(calls)] };
    }, 10);
    const first = q.load();
    await q.load();
    release();
    await first;
    expect([q.length, q.at(0)?.imageId]).toEqual([1, 2]);
  });
});
