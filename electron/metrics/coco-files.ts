/**
 * Reading the two files `roundtrip metrics` scores: a COCO captions file (references) and a
 * COCO results file (one caption per image). Problems come back as BAD_FORMAT errors that name
 * the file and what is wrong with it.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { jsonErrorMessage } from '../../shared/json-error.js';

export type ImageId = number | string;

const imageId = z.union([z.number(), z.string()]);
const RefsFile = z.object({
  images: z.array(z.object({ id: imageId }).loose()).optional(),
  annotations: z.array(z.object({ image_id: imageId, caption: z.string() }).loose()),
}).loose();
const ResultsFile = z.array(z.object({ image_id: imageId, caption: z.string() }).loose());

function bad(file: string, problem: string): ApiError {
  return new ApiError(ErrorCode.BadFormat, `${file}: ${problem}`);
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ApiError(ErrorCode.Io, `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw bad(file, `not valid JSON (${jsonErrorMessage(error)})`);
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.length ? issue.path.map(String).join('.') : 'top level';
  return `${where}: ${issue.message}`;
}

/** Ids as the key: COCO ids are numbers, but a file may use strings; 1 and "1" are one image. */
export const idKey = (id: ImageId) => String(id);

export async function readReferences(file: string): Promise<Map<string, string[]>> {
  const parsed = RefsFile.safeParse(await readJson(file));
  if (!parsed.success) throw bad(file, `not a COCO captions file (${firstIssue(parsed.error)})`);
  const refs = new Map<string, string[]>();
  for (const ann of parsed.data.annotations) {
    const key = idKey(ann.image_id);
    const list = refs.get(key);
    if (list) list.push(ann.caption);
    else refs.set(key, [ann.caption]);
  }
  return refs;
}

export async function readResults(file: string, references: ReadonlyMap<string, readonly string[]>): Promise<Map<string, string>> {
  const parsed = ResultsFile.safeParse(await readJson(file));
  if (!parsed.success) throw bad(file, `not a COCO results file, expected [{"image_id", "caption"}] (${firstIssue(parsed.error)})`);
  if (parsed.data.length === 0) throw bad(file, 'no results');
  const results = new Map<string, string>();
  for (const r of parsed.data) {
    const key = idKey(r.image_id);
    if (!references.has(key)) throw bad(file, `image ${key} has no reference captions`);
    // The toolkit asserts one caption per image; so do we, rather than guess which one counts.
    if (results.has(key)) throw bad(file, `image ${key} has more than one result caption`);
    results.set(key, r.caption);
  }
  return results;
}
