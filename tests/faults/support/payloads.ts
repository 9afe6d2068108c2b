/**
 * Seeded hostile payloads for the API: for each method of the contract, inputs whose fields (its
 * own, others', and prototype-pollution keys) hold wrong types, huge strings, lone surrogates,
 * deep nesting, NUL bytes, and zero, negative, fractional or unsafe ids. Each payload is JSON text
 * (so it can hold what JSON.stringify cannot write: 1e400, nesting 100,000 deep), and is kept only
 * if the contract refuses it, so every one must get an error reply.
 */
import { api, methodNames, type MethodName } from '../../../shared/contract/api.js';
import { findIllFormedString } from '../../../shared/well-formed.js';
import { mulberry32 } from '../../../shared/mulberry32.js';

/** A value spelled as raw JSON text. */
class Raw {
  constructor(readonly text: string) {}
}

const nested = (depth: number) => new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const nestedObject = (depth: number) => new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

function ownKey(key: string, value: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const POLLUTION = [ownKey('__proto__', { polluted: true }), { constructor: { prototype: { polluted: true } } }, ownKey('__proto__', ownKey('__proto__', { x: 1 }))];

/** [weight, make] pairs; a weight says how often, so megabyte strings stay rare. */
const HOSTILE: [number, () => unknown][] = [
  // wrong types
  [6, () => null],
  [4, () => true],
  [4, () => []],
  [4, () => ({})],
  [3, () => [1, 'two', null]],
  [3, () => '1'],
  [2, () => ({ id: 1 })],
  // ids and numbers out of range
  [6, () => 0],
  [6, () => -1],
  [3, () => -2147483648],
  [3, () => 1.5],
  [3, () => 2 ** 53 + 2],
  [3, () => 1e308],
  [3, () => new Raw('1e400')],
  [2, () => new Raw('-1e400')],
  [2, () => new Raw('-0')],
  // strings
  [4, () => ''],
  [3, () => 'x'.repeat(4097)],
  [3, () => 'y'.repeat(10_001)],
  [2, () => 'z'.repeat(200_000)],
  [1, () => 'w'.repeat(1_000_000)],
  [5, () => '\ud800'],
  [4, () => `caption \udc00 with a low half`],
  [3, () => `${'é'.repeat(100)}\udbff`],
  [3, () => 'a\u0000b'],
  [2, () => '\u202e\u0000\uffff'],
  [2, () => ['ok', '\ud83d']],
  // nesting
  [3, () => nested(1_000)],
  [2, () => nested(10_000)],
  [1, () => nested(100_000)],
  [2, () => nestedObject(5_000)],
  // prototype pollution
  [4, () => POLLUTION[0]],
  [3, () => POLLUTION[1]],
  [2, () => POLLUTION[2]],
];
const TOTAL_WEIGHT = HOSTILE.reduce((sum, [w]) => sum + w, 0);

const EXTRA_KEYS = ['id', 'imageId', 'path', 'folder', 'file', 'images', 'out', 'format', 'runId', 'finalText', 'action', 'offset', 'limit', 'note', 'tags', 'query', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''];

export interface Payload {
  method: MethodName;
  /** The input as JSON text. */
  body: string;
  /** What the server will parse it to; `undefined` when the JSON itself is too deep to parse (then a 400 is the error reply). */
  parsed: unknown;
}

function fieldsOf(method: MethodName): string[] {
  const shape = (api[method].input as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function toText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `@@raw${raws.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@raw(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
}

/** Whether the contract (and the lone-surrogate check every call gets) accepts `parsed`. */
export function acceptedByContract(method: MethodName, parsed: unknown): boolean {
  const result = api[method].input.safeParse(parsed ?? {});
  return result.success && findIllFormedString(result.data) === null;
}

export function payloadGenerator(seed: number) {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const hostile = (): unknown => {
    let r = rand() * TOTAL_WEIGHT;
    for (const [w, make] of HOSTILE) if ((r -= w) < 0) return make();
    return null;
  };

  function candidate(method: MethodName): string {
    if (rand() < 0.1) return toText(hostile());
    const own = fieldsOf(method);
    const input: Record<string, unknown> = {};
    // Some fields well typed (so the hostile one is not the only thing wrong), then 1–3 hostile ones.
    for (const field of own) if (rand() < 0.3) input[field] = pick([1, 'a', true, 10]);
    const n = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) {
      const key = own.length > 0 && rand() < 0.75 ? pick(own) : pick(EXTRA_KEYS);
      Object.defineProperty(input, key, { value: hostile(), enumerable: true, writable: true, configurable: true });
    }
    return toText(input);
  }

  /** A payload for `method` the contract refuses, or null if none turned up in 50 tries. */
  function next(method: MethodName): Payload | null {
    for (let attempt = 0; attempt < 50; attempt++) {
      const body = candidate(method);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return { method, body, parsed: undefined };
      }
      if (!acceptedByContract(method, parsed)) return { method, body, parsed };
    }
    return null;
  }

  /** `perMethod` payloads for every method of the contract, in a seeded shuffle. */
  function all(perMethod: number): Payload[] {
    const payloads: Payload[] = [];
    for (const method of methodNames) {
      for (let i = 0; i < perMethod; i++) {
        const p = next(method);
        if (p) payloads.push(p);
      }
    }
    for (let i = payloads.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [payloads[i], payloads[j]] = [payloads[j]!, payloads[i]!];
    }
    return payloads;
  }

  /** Method names that are not the contract's: empty, prototype keys, near misses, NUL, huge, lone surrogates. */
  function badMethodName(): string {
    return pick(['', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app:info\u0000', 'APP:INFO', 'app:info ', ' app:info', 'app:', ':', 'import:folder/../export:write', 'x'.repeat(10_000), '\ud800', 'export:write\n', pick(methodNames) + '\u200b']);
  }

  return { all, next, badMethodName, rand };
}
