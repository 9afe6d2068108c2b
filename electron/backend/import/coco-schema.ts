/**
 * Reading a COCO captions file (`images` + `annotations`). The file as a whole must be JSON with
 * both arrays (else the import is refused); each entry is checked on its own, so one bad entry
 * becomes a problem and the rest still import.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { jsonErrorMessage } from '../../../shared/json-error.js';

export const CocoImageSchema = z.object({
  id: z.number().int(),
  file_name: z.string().min(1),
});

export const CocoAnnotationSchema = z.object({
  id: z.number().int().nullish(),
  image_id: z.number().int(),
  caption: z.string().refine((text) => text.trim().length > 0, 'caption is empty'),
});

export interface CocoFile {
  images: unknown[];
  annotations: unknown[];
}

/** Reads and shape-checks the file; throws ApiError naming the file when it cannot be used at all. */
export async function readCocoFile(path: string): Promise<CocoFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new ApiError(ErrorCode.NotFound, `${path} does not exist.`);
    throw new ApiError(ErrorCode.Io, `Cannot read ${path}: ${err.message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
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
