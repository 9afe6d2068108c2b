import { describe, expect, it } from 'vitest';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { Dispatcher } from './dispatcher.js';
import type { Handlers } from './handler-table.js';

const silent = { error() {}, warn() {}, info() {} };
const calls: unknown[] = [];

// Only the methods these tests call do anything; the rest fail loudly if reached.
const unreachable = () => {
  throw new Error('not expected in this test');
};
const handlers = {
  'app:info': () => ({ version: '1', mode: 'browser' as const, actor: 'a', project: null }),
  'project:open': unreachable,
  'project:create': unreachable,
  'datasets:list': unreachable,
  'images:list': async (input) => {
    if (input.search === 'slow') await new Promise((resolve) => setTimeout(resolve, 100));
    if (input.search === 'needs the project') throw new TypeError('The database connection is not open');
    calls.push(input);
    return { total: 0, items: [] };
  },
  'images:get': ({ id }) => {
    throw new ApiError(ErrorCode.NotFound, `Image ${id} is not in this project.`);
  },
  'images:neighbours': unreachable,
  'decisions:record': unreachable,
  'decisions:undo': unreachable,
  'review:queue': unreachable,
  'review:item': unreachable,
  'import:folder': unreachable,
  'import:coco': unreachable,
  'import:cancel': unreachable,
  'export:write': () => {
    throw new TypeError('boom at /secret/path.ts:12');
  },
  'runs:start': unreachable,
  'runs:list': unreachable,
  'runs:get': unreachable,
  'runs:pause': unreachable,
  'runs:resume': unreachable,
  'runs:cancel': unreachable,
  'models:list': unreachable,
  'models:verify': unreachable,
  'models:pull': unreachable,
  'models:cancel-pull': unreachable,
  'settings:get': unreachable,
  'settings:update': unreachable,
  'eval:report': unreachable,
  'eval:cancel': unreachable,
  'audit:disagreements': unreachable,
  'audit:weak-references': unreachable,
  'audit:vocabulary': unreachable,
  'notes:get': unreachable,
  'notes:set': unreachable,
  'notes:search': unreachable,
  'notes:tags': unreachable,
} satisfies Handlers;

const dispatcher = new Dispatcher(handlers, silent);
const ctx = { actor: 'tester' };

describe('Dispatcher', () => {
  it('runs a valid call and returns its result', async () => {
    expect(await dispatcher.dispatch('app:info', {}, ctx)).toEqual({
      ok: true,
      result: { version: '1', mode: 'browser', actor: 'a', project: null },
    });
  });

  it('rejects unknown methods, including inherited property names', async () => {
    for (const name of ['nope', 'toString', '__proto__', 42]) {
      expect(await dispatcher.dispatch(name, {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('validates input against the contract before the handler runs', async () => {
    calls.length = 0;
    const bad = await dispatcher.dispatch('images:list', { offset: -1, limit: 10 }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('offset') } });
    const range = await dispatcher.dispatch('images:list', { offset: 0, limit: 10, similarityMin: 0.9, similarityMax: 0.1 }, ctx);
    expect(range).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('similarityMin') } });
    const extra = await dispatcher.dispatch('images:list', { offset: 0, limit: 10, sql: 'DROP TABLE images' }, ctx);
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(calls).toEqual([]);
  });

  it('passes ApiErrors through with their code and hides other failures behind INTERNAL', async () => {
    expect(await dispatcher.dispatch('images:get', { id: 5 }, ctx)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Image 5 is not in this project.' },
    });
    const internal = await dispatcher.dispatch('export:write', { format: 'coco-captions', out: '/tmp/x.json' }, ctx);
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('    at ');
  });

  it('refuses a lone surrogate anywhere in the input, before the handler runs (issue 16)', async () => {
    calls.length = 0;
    const lone = await dispatcher.dispatch('images:list', { offset: 0, limit: 10, search: 'cat \ud800' }, ctx);
    expect(lone).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'images:list: the text at search holds half of a UTF-16 surrogate pair without its other half' },
    });
    expect(await dispatcher.dispatch('images:list', { offset: 0, limit: 10, search: 'cat 🐱' }, ctx)).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
  });

  // Found by the issue 16 fault suite: a path with a NUL byte passed the contract and reached the
  // file system, which refused it with Node's own message (IO_ERROR, or INTERNAL where unexpected).
  it('refuses a NUL character in any path of the contract, before the handler runs', async () => {
    const inputs: [string, Record<string, unknown>, string][] = [
      ['project:open', { path: '/tmp/a\u0000b' }, 'path'],
      ['project:create', { path: 'a\u0000' }, 'path'],
      ['import:folder', { folder: '/data/\u0000' }, 'folder'],
      ['import:coco', { file: '/data/c.json', images: '/data\u0000' }, 'images'],
      ['export:write', { format: 'coco-captions', out: '/out/x\u0000.json' }, 'out'],
    ];
    for (const [method, input, field] of inputs) {
      expect(await dispatcher.dispatch(method, input, ctx)).toEqual({
        ok: false,
        error: { code: 'INVALID_INPUT', message: `${method}: a path cannot contain a NUL character at ${field}` },
      });
    }
  });

  it('lets calls in flight end when it closes, refuses new ones, and reports none as INTERNAL (issue 16)', async () => {
    const closing = new Dispatcher(handlers, silent);
    const slow = closing.dispatch('images:list', { offset: 0, limit: 1, search: 'slow' }, ctx);
    const cut = closing.dispatch('images:list', { offset: 0, limit: 1, search: 'needs the project' }, ctx);
    expect(closing.idle()).toBe(false);
    await closing.close(5_000);
    expect(closing.idle()).toBe(true);
    expect(await slow).toMatchObject({ ok: true });
    expect(await cut).toEqual({ ok: false, error: { code: 'CANCELLED', message: 'images:list was stopped: Roundtrip is shutting down.' } });
    expect(await closing.dispatch('app:info', {}, ctx)).toEqual({ ok: false, error: { code: 'CANCELLED', message: 'app:info was not run: Roundtrip is shutting down.' } });
  });
});
