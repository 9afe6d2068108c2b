/** What an export is asked for and what it reports (the `export:write` method). */
import { z } from 'zod';
import { PathSchema } from './path-schema.js';
import { CaptionSourceSchema, ImageStatusSchema } from './schemas.js';

const Id = z.number().int().positive();

/**
 * - `coco-captions`: COCO captions JSON (`info`, `licenses`, `images`, `annotations`);
 * - `coco-results`: `[{image_id, caption}]`, one caption per image, as the COCO caption toolkit reads;
 * - `karpathy`: a folder of BLIP-style split files (`coco_karpathy_train.json`: `{image, caption, image_id}`
 *   per caption; `coco_karpathy_val.json` / `_test.json`: `{image, caption: [...]}` per image);
 * - `hf-imagefolder`: a folder of images with `metadata.jsonl` (`file_name`, `text`);
 * - `sidecar-txt`: a folder of images, each with a `.txt` caption beside it (kohya style);
 * - `scores`: one row per run candidate (JSONL, or CSV when the file name ends in `.csv`).
 */
export const ExportFormatSchema = z.enum(['coco-captions', 'coco-results', 'karpathy', 'hf-imagefolder', 'sidecar-txt', 'scores']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** The formats that write a folder (the others write one file). */
export const FOLDER_FORMATS: readonly ExportFormat[] = Object.freeze(['karpathy', 'hf-imagefolder', 'sidecar-txt']);
export const isFolderFormat = (format: ExportFormat): boolean => FOLDER_FORMATS.includes(format);

/**
 * How folder exports place the images: copies (the default; copy-on-write clones where the file
 * system can, so a trainer rewriting an exported image never changes the source), hard links
 * (no extra space, but the same file as the source; a copy where linking fails), or symbolic links.
 */
export const LinkModeSchema = z.enum(['hardlink', 'symlink', 'copy']);
export type LinkMode = z.infer<typeof LinkModeSchema>;

export const ExportRequestSchema = z
  .object({
    format: ExportFormatSchema,
    /** A file for coco-captions, coco-results and scores; a folder for karpathy, hf-imagefolder and sidecar-txt. */
    out: PathSchema,
    /** Which captions of an image count: the decided one else the references, only references, or only decided ones. */
    captions: CaptionSourceSchema.default('prefer-decided'),
    /** Also write the human references beside a decided caption. */
    includeReferences: z.boolean().default(false),
    /** Only images in these review states. */
    statuses: z.array(ImageStatusSchema).min(1).optional(),
    datasetId: Id.optional(),
    /** Only the datasets with this name (imports are named after their folder: train, val, test…). */
    split: z.string().min(1).max(200).optional(),
    /**
     * coco-results: the captions this suggest run selected by reconstruction (else the decided captions);
     * scores: only this run (else every run); hf-imagefolder with `generatorSet`: this verify-images run
     * (else the newest one).
     */
    runId: Id.optional(),
    /** hf-imagefolder: source texts with the best image a verify-images run drew for each (text-to-image finetuning). */
    generatorSet: z.boolean().default(false),
    /** Write blank captions (and images without any caption) instead of refusing them / leaving them out. */
    allowEmpty: z.boolean().default(false),
    linkImages: LinkModeSchema.default('copy'),
  })
  .strict();
export type ExportRequest = z.output<typeof ExportRequestSchema>;
export type ExportRequestInput = z.input<typeof ExportRequestSchema>;

export const ExportResultSchema = z.object({
  /** The export's row in the project's export log. */
  id: Id,
  format: ExportFormatSchema,
  path: z.string(),
  images: z.number().int().nonnegative(),
  /** Captions written (annotations, result entries, text files, metadata rows, score rows). */
  captions: z.number().int().nonnegative(),
  /** Image or text files placed in a folder export, or split files. */
  files: z.number().int().nonnegative(),
  /** Images in scope without a caption: left out (kept with an empty one under `allowEmpty`); coco-captions lists them without annotations. */
  withoutCaption: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;
