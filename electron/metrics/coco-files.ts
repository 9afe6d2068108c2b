/**
 * Reading the two files `roundtrip metrics` scores: a COCO captions file (references) and a
 * COCO results file (one caption per image). Problems come back as BAD_FORMAT errors that name
 * the file and what is wrong with it.
 */
import { z } from 'zod';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { MAX_CAPTION_CHARS, MAX_REFERENCES_PER_IMAGE } from '../../shared/contract/limits.js';
import { jsonErrorMessage } from '../../shared/json-error.js';
import { loneSurrogateIndex } from '../../shared/well-formed.js';
import { TextDecodeError } from '../files/decode-text.js';
import { FileReadError } from '../files/read-regular-file.js';
import { readTextFile } from '../files/read-text-file.js';

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
    // A regular file only, decoded strictly (a FIFO here used to hang the command).
    text = await readTextFile(file);
  } catch (error) {
    if (error instanceof TextDecodeError) throw new ApiError(ErrorCode.BadFormat, error.message);
    if (error instanceof FileReadError) throw new ApiError(ErrorCode.Io, error.message);
    throw error;
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

/**
 * Issue 16: ROUGE-L is quadratic in caption length (a 1 MB caption ran for hours), so the metrics
 * score only what an import would accept: captions up to MAX_CAPTION_CHARS, without lone
 * surrogates, and at most MAX_REFERENCES_PER_IMAGE references per image. Anything else is refused,
 * naming the entry, rather than scored differently from the toolkit.
 */
function checkCaption(file: string, entry: string, caption: string): void {
  if (caption.length > MAX_CAPTION_CHARS) {
    throw bad(file, `${entry}: the caption is ${caption.length.toLocaleString('en-US')} characters long; the limit is ${MAX_CAPTION_CHARS.toLocaleString('en-US')}`);
  }
  const lone = loneSurrogateIndex(caption);
  if (lone !== -1) throw bad(file, `${entry}: the caption holds half of a UTF-16 surrogate pair at character ${lone}`);
}

export async function readReferences(file: string): Promise<Map<string, string[]>> {
  const parsed = RefsFile.safeParse(await readJson(file));
  if (!parsed.success) throw bad(file, `not a COCO captions file (${firstIssue(parsed.error)})`);
  const refs = new Map<string, string[]>();
  parsed.data.annotations.forEach((ann, index) => {
    checkCaption(file, `annotations[${index}]`, ann.caption);
    const key = idKey(ann.image_id);
    const list = refs.get(key);
    if (!list) return refs.set(key, [ann.caption]);
    if (list.length === MAX_REFERENCES_PER_IMAGE) throw bad(file, `image ${key} has more than ${MAX_REFERENCES_PER_IMAGE} reference captions, the limit per image`);
    list.push(ann.caption);
  });
  return refs;
}

export async function readResults(file: string, references: ReadonlyMap<string, readonly string[]>): Promise<Map<string, string>> {
  const parsed = ResultsFile.safeParse(await readJson(file));
  if (!parsed.success) throw bad(file, `not a COCO results file, expected [{"image_id", "caption"}] (${firstIssue(parsed.error)})`);
  if (parsed.data.length === 0) throw bad(file, 'no results');
  const results = new Map<string, string>();
  for (const [index, r] of parsed.data.entries()) {
    checkCaption(file, `[${index}]`, r.caption);
    const key = idKey(r.image_id);
    if (!references.has(key)) throw bad(file, `image ${key} has no reference captions`);
    // The toolkit asserts one caption per image; so do we, rather than guess which one counts.
    if (results.has(key)) throw bad(file, `image ${key} has more than one result caption`);
    results.set(key, r.caption);
  }
  return results;
}
