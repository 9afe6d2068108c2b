import { describe, expect, it } from 'vitest';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { Dispatcher } from './dispatcher.js';
import type { Handlers } from './handler-table.js';
import { internalFailure } from './internal-error.js';

function recordingLog() {
  const lines: unknown[][] = [];
  return { lines, log: { error: (...args: unknown[]) => void lines.push(args), warn() {}, info() {} } };
}

const secret = "ENOENT: no such file or directory, open '/home/alice/private/caption-notes.json'";

describe('internalFailure', () => {
  it('logs the error with an id and replies with the id alone', () => {
    const { lines, log } = recordingLog();
    const error = new Error(secret);
    const outcome = internalFailure('import:coco', error, log, 'c0ffee00');
    expect(outcome).toEqual({ ok: false, error: { code: 'INTERNAL', message: "import:coco failed unexpectedly (error c0ffee00; the details are in Roundtrip's log)." } });
    expect(lines).toEqual([['[roundtrip] import:coco failed (error c0ffee00):', error]]);
  });

  it('gives each failure its own id', () => {
    const { log } = recordingLog();
    const idOf = (outcome: ReturnType<typeof internalFailure>) => (outcome.ok ? undefined : /error ([0-9a-f]{8})/.exec(outcome.error.message)?.[1]);
    const ids = new Set(Array.from({ length: 50 }, () => idOf(internalFailure('m', new Error('x'), log))));
    expect(ids.has(undefined)).toBe(false);
    expect(ids.size).toBe(50);
  });
});

describe('Dispatcher, on an unexpected error', () => {
  const throwing = new Proxy({} as Handlers, {
    get: (_target, method) => () => {
      if (method === 'images:get') throw new ApiError(ErrorCode.NotFound, 'Image 5 is not in this project.');
      throw new Error(secret);
    },
  });

  it('keeps the raw message (and its path) from the caller and puts it in the log under the same id', async () => {
    const { lines, log } = recordingLog();
    const outcome = await new Dispatcher(throwing, log).dispatch('export:write', { format: 'coco-captions', out: '/tmp/x.json' }, { actor: 't' });
    expect(outcome.ok).toBe(false);
    const message = outcome.ok ? '' : outcome.error.message;
    expect(outcome).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(message).not.toContain('/home/alice');
    expect(message).not.toContain('ENOENT');
    const id = /error ([0-9a-f]{8})/.exec(message)?.[1];
    expect(id).toBeDefined();
    expect(String(lines[0]?.[0])).toContain(`error ${id}`);
    expect((lines[0]?.[1] as Error).message).toBe(secret);
  });

  it('still passes ApiErrors, written for people, through as they are', async () => {
    const { log } = recordingLog();
    expect(await new Dispatcher(throwing, log).dispatch('images:get', { id: 5 }, { actor: 't' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Image 5 is not in this project.' },
    });
  });
});
