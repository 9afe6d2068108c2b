/**
 * The evaluation report (issue 6): the paper's Table 1, Fig. 3 and Table 2 protocols over a
 * project's stored runs, with everything needed to reproduce them. `roundtrip eval` writes it as
 * report.json; `eval:report` returns it to the audit view. Plain JSON: a value that cannot be
 * computed (a metric over no images, a correlation of constant data) is null, never NaN.
 */
import { z } from 'zod';
import { RunKindSchema, RunStatusSchema } from './run-schemas.js';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();
const Value = z.number().nullable();

/** Metric name → value: BLEU-1..4, ROUGE-L and CIDEr (COCO toolkit names), plus CLIPScore, RefCLIPScore and TextCosine when an embedder was used. */
export const ScoresSchema = z.record(z.string(), Value);
export type Scores = z.infer<typeof ScoresSchema>;

export const ReportModelSchema = z.object({
  /** The run's name for it: captioner, generator, embedder, textEmbedder; or the report's imageEmbedder/textEmbedder. */
  slot: z.string(),
  dir: z.string(),
  id: z.string().nullable(),
  version: z.string().nullable(),
  files: z.array(z.object({ path: z.string(), sha256: z.string() })),
});
export type ReportModel = z.infer<typeof ReportModelSchema>;

export const ReportRunSchema = z.object({
  id: Id,
  kind: RunKindSchema,
  status: RunStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When its last image finished; null before any did. */
  finishedAt: z.string().nullable(),
  total: Count,
  done: Count,
  failed: Count,
  error: z.string().nullable(),
  seed: z.number().nullable(),
  /** Everything the run recorded besides its models: sampler, generation and re-caption settings, CIDEr provenance. */
  settings: z.record(z.string(), z.unknown()),
  models: z.array(ReportModelSchema),
  /** The run's images by dataset (split). */
  datasets: z.array(z.object({ id: Id, name: z.string(), images: Count })),
  /** What the report makes of the run (incomplete, not evaluated and why), or null. */
  note: z.string().nullable(),
});
export type ReportRun = z.infer<typeof ReportRunSchema>;

export const Table1RowSchema = z.object({
  /** `sampled-mean`: the mean over the sampled candidates (the paper's baseline); `selected`: the reconstruction-best; `top-beam`: a beam run's best beam; `greedy`. */
  key: z.enum(['sampled-mean', 'selected', 'top-beam', 'greedy']),
  label: z.string(),
  /** The run the captions come from (another run for greedy and beam rows). */
  runId: Id,
  scores: ScoresSchema,
  /** Relative to the sampled mean, in percent; null on the baseline row itself. */
  gainPercent: ScoresSchema.nullable(),
});
export type Table1Row = z.infer<typeof Table1RowSchema>;

export const Table1BlockSchema = z.object({ images: Count, rows: z.array(Table1RowSchema) });
export type Table1Block = z.infer<typeof Table1BlockSchema>;

/** Spread of a per-image score over the images: mean, sample standard deviation, quartiles (linear interpolation). */
export const SpreadSchema = z.object({ mean: Value, std: Value, q25: Value, median: Value, q75: Value });
export type Spread = z.infer<typeof SpreadSchema>;

export const IntervalSchema = z.object({ point: Value, low: Value, high: Value });
export type Interval = z.infer<typeof IntervalSchema>;

export const Table1Schema = z.object({
  runId: Id,
  /** How the candidates were sampled, e.g. "top-p 0.9, N = 10". */
  sampler: z.string(),
  candidatesPerImage: Count,
  /** Metric names in column order. */
  metrics: z.array(z.string()),
  /** Done images left out because they have no reference captions to score against. */
  imagesWithoutReferences: Count,
  overall: Table1BlockSchema,
  splits: z.array(Table1BlockSchema.extend({ datasetId: Id, name: z.string() })),
  /** Fig. 3: the captions at each reconstruction rank — corpus score and spread of the per-image score. */
  byRank: z.array(z.object({ rank: z.number().int().positive(), corpus: ScoresSchema, perImage: z.record(z.string(), SpreadSchema) })),
  /** Per image: the selected candidate's reconstruction similarity and its caption score. */
  reconstructionVsScore: z.object({
    metric: z.string(),
    points: z.array(z.object({ imageId: Id, similarity: z.number(), score: z.number() })),
    /** Spearman ρ over those points. */
    spearman: Value,
    /** Spearman ρ over every candidate of every image (similarity vs. its own score). */
    allCandidates: z.object({ pairs: Count, spearman: Value }),
    /**
     * Spearman ρ within each image, between its N candidates' similarities and their scores,
     * averaged over the images where it is defined (not all candidates tied): does a better
     * reconstruction mean a better caption *for the same image*.
     */
    withinImage: z.object({ images: Count, meanSpearman: Value }),
  }),
  /** Per image, in run order: the selected caption's score, the mean score of its N candidates, and the last-ranked caption's (histograms). */
  perImageScores: z.object({ metric: z.string(), selected: z.array(z.number()), candidatesMean: z.array(z.number()), lastRank: z.array(z.number()) }),
  /** Percentile bootstrap over images (seeded) of the selection gain in `metric`, per-image scores held fixed. */
  bootstrap: z.object({
    metric: z.string(),
    resamples: Count,
    seed: z.number().int().nonnegative(),
    confidence: z.number(),
    gain: IntervalSchema,
    gainPercent: IntervalSchema,
  }),
  /** The embedding metrics' models, or why there are none. */
  embedding: z.object({ models: z.array(ReportModelSchema), prefix: z.string().nullable(), note: z.string().nullable() }),
});
export type Table1 = z.infer<typeof Table1Schema>;

const Triple = z.object({ selected: Value, mean: Value, random: Value });

export const Table2Schema = z.object({
  runId: Id,
  texts: Count,
  imagesPerText: Count,
  /** Image embedder cosine to the dataset's real image (as the run recorded it), and 100·(1 − cos). */
  similarity: Triple,
  distance: Triple,
  gainOverMeanPercent: Value,
  gainOverRandomPercent: Value,
  selectedBeatsMean: Value,
  /** How close the re-captions came to the source text: selected image's vs. the mean over candidates. */
  recaption: z.object({ textSimilarity: z.object({ selected: Value, mean: Value }), cider: z.object({ selected: Value, mean: Value }) }),
  splits: z.array(z.object({ datasetId: Id, name: z.string(), texts: Count, similarity: Triple })),
  /** Fréchet distance over the report's image embedder: selected images vs. real ones, and first-seed images vs. real ones. */
  frechet: z
    .object({
      model: ReportModelSchema,
      realImages: Count,
      selected: z.object({ distance: Value, images: Count }),
      random: z.object({ distance: Value, images: Count }),
    })
    .nullable(),
  note: z.string().nullable(),
});
export type Table2 = z.infer<typeof Table2Schema>;

/** A plot written beside report.json (the CLI's; the API returns none): its files, and the PNG's size in pixels (drawn at `scale` × the SVG's). */
export const ReportPlotSchema = z.object({ name: z.string(), title: z.string(), svg: z.string(), png: z.string(), width: Count, height: Count, scale: z.number().positive() });
export type ReportPlot = z.infer<typeof ReportPlotSchema>;

export const EvaluationReportSchema = z.object({
  formatVersion: z.literal(1),
  generatedAt: z.string(),
  project: z.object({
    name: z.string(),
    path: z.string(),
    images: Count,
    datasets: z.array(z.object({ id: Id, name: z.string(), kind: z.string(), images: Count })),
  }),
  /** The run the report was asked for, or null for every run. */
  runId: Id.nullable(),
  /** What a reader should know first: no runs yet, runs that are incomplete, metrics left out and why. */
  messages: z.array(z.string()),
  runs: z.array(ReportRunSchema),
  table1: z.array(Table1Schema),
  table2: z.array(Table2Schema),
  plots: z.array(ReportPlotSchema),
});
export type EvaluationReport = z.infer<typeof EvaluationReportSchema>;
