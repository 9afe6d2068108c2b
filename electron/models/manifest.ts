/**
 * `roundtrip-model.json`: the small manifest that sits in every model folder beside the files of
 * its public export layout. It says what the folder is for (role, family) and pins every file by
 * size and sha256 so `models verify` can tell a damaged download from a good one.
 */
import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { TextDecodeError } from '../files/decode-text.js';
import { FileReadError } from '../files/read-regular-file.js';
import { readTextFile } from '../files/read-text-file.js';
import { describeErrno } from './model-folder-files.js';
import { join } from 'node:path';
import { z } from 'zod';
import { jsonErrorMessage } from '../../shared/json-error.js';
import { ModelRunDefaultsSchema } from '../../shared/contract/run-schemas.js';
import { ONNX_DTYPES, type OnnxDtype } from '../../shared/contract/onnx-dtypes.js';

export const MANIFEST_FILE = 'roundtrip-model.json';

export const ROLES = ['captioner', 'generator', 'image-embedder', 'text-embedder'] as const;
export type Role = (typeof ROLES)[number];

/** transformers.js file-name suffixes of the `onnx/` folder (MODELS.md §2.2), one list shared with run settings. */
export { ONNX_DTYPES, type OnnxDtype };

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
/** Relative, forward-slash paths that stay inside the model folder. */
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').some((s) => s === '..' || s === ''), 'a relative path inside the model folder');

export const manifestFileSchema = z.object({ path: relativePath, sha256, bytes: z.number().int().nonnegative() });
export type ManifestFile = z.infer<typeof manifestFileSchema>;

export const manifestSchema = z.object({
  id: z.string().min(1),
  role: z.enum(ROLES),
  // A string, not an enum: a manifest from a newer Roundtrip (or the demo exporter) with a family
  // this build does not know must still list; verify reports the unknown family instead.
  family: z.string().min(1),
  name: z.string().min(1),
  version: z.string().min(1),
  licence: z.string().min(1),
  source: z.object({ repo: z.string().min(1), revision: z.string().min(1) }).optional(),
  /** Which `onnx/model_<suffix>.onnx` variant the folder holds (transformers.js layouts only). */
  dtype: z.enum(ONNX_DTYPES).optional(),
  pulledAt: z.string().optional(),
  /**
   * Sampler settings for runs that leave them out: the demo generator's were measured (`steps`
   * the cheapest count that keeps the selection gain, `npm run bench gain-sweep`; `guidance` ≤ 1:
   * no guidance batch); a pulled generator's are its publisher's (published-run-defaults.ts).
   * `scheduler` absent: the one its scheduler_config.json names, when implemented.
   */
  runDefaults: ModelRunDefaultsSchema.optional(),
  files: z.array(manifestFileSchema),
});
export type ModelManifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {}

/** Reads and validates a folder's manifest; `undefined` when the folder has none. */
export async function readManifest(dir: string): Promise<ModelManifest | undefined> {
  let text: string;
  try {
    // Through one checked handle: a FIFO in the manifest's place must not hang `models:list`.
    text = await readTextFile(join(dir, MANIFEST_FILE), { name: MANIFEST_FILE });
  } catch (error) {
    if (error instanceof FileReadError && error.reason === 'missing') return undefined;
    // A manifest that exists but cannot be read is a rejected manifest, said in words (not a raw errno).
    if (error instanceof FileReadError || error instanceof TextDecodeError) throw new ManifestError(error.message);
    throw new ManifestError(`${MANIFEST_FILE}: cannot be read (${describeErrno(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${MANIFEST_FILE}: not valid JSON (${jsonErrorMessage(error)})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ManifestError(`${MANIFEST_FILE}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Written through a temporary file and a rename, so a crash never leaves half a manifest. */
export async function writeManifest(dir: string, manifest: ModelManifest): Promise<void> {
  const valid = manifestSchema.parse(manifest);
  const tmp = join(dir, `.${MANIFEST_FILE}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, `${JSON.stringify(valid, null, 2)}\n`);
  await rename(tmp, join(dir, MANIFEST_FILE));
}
