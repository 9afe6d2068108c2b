/**
 * Reading a COCO captions file (`images` + `annotations`). The file as a whole must be JSON with
 * both arrays (else the import is refused); each entry is checked on its own, so one bad entry
 * becomes a problem and the rest still import.
 */
import { z } from 'zod';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { jsonErrorMessage } from '../../../shared/json-error.js';
import { readTextFile } from '../../files/read-text-file.js';
import { fileApiError } from './file-errors.js';

// Roundtrip's ids (and the API's) start at 1, as COCO's do; 0 or a negative id would be an image
// that no API call can name (issue 16).
const CocoId = z.number().int().positive('must be a positive integer (COCO ids start at 1)');

export const CocoImageSchema = z.object({
  id: CocoId,
  file_name: z.string().min(1),
});

export const CocoAnnotationSchema = z.object({
  id: CocoId.nullish(),
  image_id: CocoId,
  caption: z.string().refine((text) => text.trim().length > 0, 'caption is empty'),
});

export interface CocoFile {
  images: unknown[];
  annotations: unknown[];
}

export interface ReadCocoOptions {
  signal?: AbortSignal;
  /** Bytes read so far, of the file's size. */
  onProgress?: (done: number, total: number) => void;
}

/** Reads and shape-checks the file; throws ApiError naming the file when it cannot be used at all. */
export async function readCocoFile(path: string, options: ReadCocoOptions = {}): Promise<CocoFile> {
  let text: string;
  try {
    text = await readTextFile(path, options);
  } catch (error) {
    throw fileApiError(error);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ApiError(ErrorCode.BadFormat, `${path}: not valid JSON: ${jsonErrorMessage(error)}`);
  }
  const record = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  for (const key of ['images', 'annotations'] as const) {
    if (!Array.isArray(record[key])) {
      throw new ApiError(
        ErrorCode.BadFormat,
        `${path}: no "${key}" array. A COCO captions file is an object with "images" and "annotations" arrays.`,
      );
    }
  }
  return { images: record.images as unknown[], annotations: record.annotations as unknown[] };
}

/** The integer `id` of a raw entry, if it has one, so problems can name entries that failed validation. */
export function rawId(entry: unknown): number | undefined {
  const id = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).id : undefined;
  return Number.isSafeInteger(id) ? (id as number) : undefined;
}
