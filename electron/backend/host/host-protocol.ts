/**
 * The backend host's port protocol (issue 17: the backend in its own process). A connection
 * carries the API as the browser transport does (wire.ts): `{id, method, input}` in, `{kind:
 * 'reply', id, ...outcome}` and `{kind: 'event', event, payload}` out. The supervisor's own
 * connection (the parent channel) also carries the host's lifecycle frames and `host:*` methods,
 * which no window port can call.
 */
import { z } from 'zod';

/** What the host is started with (one JSON argument: Electron's utilityProcess.fork and Node's fork both pass argv). */
export const HostConfigSchema = z
  .object({
    mode: z.enum(['electron', 'browser']),
    version: z.string(),
    actor: z.string(),
    /** The user's models folder (default: the user data one); tests point it at an empty folder. */
    modelsDir: z.string().optional(),
    /** The project to open at start; null opens none. */
    projectDir: z.string().nullable(),
    /** First run: fill `projectDir` with the demo world when no project is there yet. */
    createDemoIfMissing: z.boolean().default(false),
  })
  .strict();
export type HostConfig = z.input<typeof HostConfigSchema>;

/** Host → supervisor, once: the backend is built and listening (with the project it opened), or it could not start. */
export type HostLifecycleFrame = { kind: 'host:ready'; projectDir: string | null } | { kind: 'host:failed'; message: string };

/** Supervisor → host (Electron only): a window's port, transferred with this frame. */
export const CONNECT_FRAME = 'host:connect';

/** Methods only the supervisor's connection may call. */
export const HostMethods = {
  /** What `roundtrip-media://` serves for an image of the open project (MediaService.resolve). */
  media: 'host:media',
  /** Stops the backend as Backend.dispose does (calls in flight end first), then the process exits. */
  shutdown: 'host:shutdown',
} as const;

export const MediaQuerySchema = z
  .object({ kind: z.enum(['thumb', 'image', 'reconstruction']), imageId: z.number().int(), mediaKey: z.string().nullable() })
  .strict();

export function isLifecycleFrame(message: unknown): message is HostLifecycleFrame {
  const kind = (message as { kind?: unknown } | null)?.kind;
  return kind === 'host:ready' || kind === 'host:failed';
}
