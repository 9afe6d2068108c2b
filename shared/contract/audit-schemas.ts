/**
 * Schemas of the audit view's side of the API: where the reconstruction ranking and the human
 * references disagree (per image, per reference, per word), and the notes and tags researchers
 * put on images. Lists are paged: a project of 10,000 images answers a page, never everything.
 */
import { z } from 'zod';
import { ImageStatusSchema } from './schemas.js';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();

/** Paging shared by the audit lists. */
const page = {
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(500).default(50),
};

/** One distinct caption of a suggest run for an image, with its CIDEr-D against the image's references. */
export const AuditCandidateSchema = z.object({
  /** The candidate row (of its first sample): its reconstruction is served as media `reconstruction/<id>`. */
  candidateId: Id,
  text: z.string(),
  similarity: z.number().nullable(),
  rank: z.number().int().positive().nullable(),
  cider: z.number(),
});
export type AuditCandidate = z.infer<typeof AuditCandidateSchema>;

export const DisagreementsInputSchema = z
  .object({
    /** A suggest run; default the newest with finished images. */
    runId: Id.optional(),
    ...page,
  })
  .strict();

/** An image whose reconstruction-best caption is not the one that scores best against its references. */
export const DisagreementSchema = z.object({
  imageId: Id,
  fileName: z.string(),
  status: ImageStatusSchema,
  /** Rank 1 by reconstruction similarity: what Roundtrip suggests. */
  reconstructionBest: AuditCandidateSchema,
  /** Highest CIDEr-D against the references (ties: the better reconstruction). */
  captionBest: AuditCandidateSchema,
  /** How strongly they disagree: CIDEr-D of the caption-best minus the reconstruction-best's (> 0). */
  ciderGap: z.number(),
  /** Similarity of the reconstruction-best minus the caption-best's; null when either has none. */
  similarityGap: z.number().nullable(),
});
export type Disagreement = z.infer<typeof DisagreementSchema>;

export const DisagreementsSchema = z.object({
  /** The run the list comes from; null when the project has no suggest run with results. */
  runId: Id.nullable(),
  /** Finished images of the run with candidates and references (the evaluated set). */
  images: Count,
  /** Of those, images that disagree: the length of the whole list. */
  total: Count,
  /** Strongest disagreement first. */
  items: z.array(DisagreementSchema),
  /** Why the list is empty or partial (no run, a run still going), or null. */
  note: z.string().nullable(),
});
export type Disagreements = z.infer<typeof DisagreementsSchema>;

export const WeakReferencesInputSchema = z
  .object({
    /** A reference-audit run; default the newest with finished images. */
    runId: Id.optional(),
    ...page,
  })
  .strict();

/** A human reference drawn back by a reference audit, and how far its drawing fell below the image's best reference. */
export const WeakReferenceSchema = z.object({
  candidateId: Id,
  imageId: Id,
  fileName: z.string(),
  referenceId: Id.nullable(),
  text: z.string(),
  similarity: z.number(),
  /** The image's best reference similarity minus this one's: an image that is hard to draw does not make every reference weak. */
  gap: z.number(),
  best: z.object({ candidateId: Id, text: z.string(), similarity: z.number() }),
});
export type WeakReference = z.infer<typeof WeakReferenceSchema>;

export const WeakReferencesSchema = z.object({
  runId: Id.nullable(),
  /** References scored by the run. */
  total: Count,
  /** Weakest first (largest gap, then lowest similarity). */
  items: z.array(WeakReferenceSchema),
  note: z.string().nullable(),
});
export type WeakReferences = z.infer<typeof WeakReferencesSchema>;

/** `model`: words the run's captions use that none of the image's references use; `reference`: the reverse. */
export const VocabularySideSchema = z.enum(['model', 'reference']);
export type VocabularySide = z.infer<typeof VocabularySideSchema>;

export const VocabularyInputSchema = z
  .object({
    runId: Id.optional(),
    side: VocabularySideSchema.default('model'),
    /** Only words starting with this. */
    search: z.string().trim().max(100).optional(),
    ...page,
  })
  .strict();

export const VocabularyWordSchema = z.object({
  word: z.string(),
  /** Images where this side uses the word and the other side does not. */
  images: Count,
  /** Captions of this side using it in those images. */
  uses: Count,
  /** Images of the run whose other side uses the word at all (0: the other side never does). */
  otherSideImages: Count,
  /** The other side's words most associated with it in those images: what it says instead. */
  instead: z.array(z.object({ word: z.string(), images: Count })),
  /** Some of those images, in run order. */
  examples: z.array(z.object({ imageId: Id, fileName: z.string() })),
});
export type VocabularyWord = z.infer<typeof VocabularyWordSchema>;

export const VocabularySchema = z.object({
  runId: Id.nullable(),
  side: VocabularySideSchema,
  /** Images compared (finished, with candidates and references). */
  images: Count,
  /** Words of this side that differ (matching `search`). */
  total: Count,
  /** Most images first. */
  items: z.array(VocabularyWordSchema),
  note: z.string().nullable(),
});
export type Vocabulary = z.infer<typeof VocabularySchema>;

/** A tag: trimmed, 1–60 characters, no commas (the editor separates tags with them). */
export const TagSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[^,\n]+$/, 'A tag cannot contain commas or line breaks');

export const ImageNoteSchema = z.object({
  imageId: Id,
  note: z.string(),
  tags: z.array(z.string()),
  /** Who last changed the note or tags, and when; null when the image has neither. */
  actor: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type ImageNote = z.infer<typeof ImageNoteSchema>;

export const NoteInputSchema = z
  .object({
    imageId: Id,
    note: z.string().max(10_000),
    tags: z.array(TagSchema).max(50),
  })
  .strict();

export const NotesSearchInputSchema = z
  .object({
    /** Words in the note, a tag or the file name; empty: every image with a note or tag. */
    query: z.string().trim().max(500).optional(),
    /** Only images with exactly this tag. */
    tag: TagSchema.optional(),
    ...page,
  })
  .strict();

export const NotesSearchSchema = z.object({
  total: Count,
  /** Most recently changed first. */
  items: z.array(ImageNoteSchema.extend({ fileName: z.string() })),
});
export type NotesSearch = z.infer<typeof NotesSearchSchema>;

export const TagCountsSchema = z.array(z.object({ tag: z.string(), images: Count }));
export type TagCounts = z.infer<typeof TagCountsSchema>;
