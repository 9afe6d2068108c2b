/**
 * The jobs view's form for starting a run, turned into a `runs:start` request: which images (the
 * whole project, one split, the grid's current filter, or the first N), which models per slot the
 * kind uses, and the sampler and generator settings — left blank, a setting takes the backend's
 * default for the kind (N, steps from the generator's manifest, caption length from the captioner).
 */
import type { MethodInput } from '../../../../shared/contract/api.js';
import type { ModelDtypes, OnnxDtype } from '../../../../shared/contract/onnx-dtypes.js';
import type { CaptionTask, Execution, ExecutionProvider, ModelSlot, ModelsList, RunKind, SchedulerName } from '../../../../shared/contract/run-schemas.js';

/** The model slots each kind of run uses (as the backend's run kinds declare them). */
export const KIND_SLOTS: Record<RunKind, readonly ModelSlot[]> = {
  suggest: ['captioner', 'generator', 'imageEmbedder'],
  'verify-images': ['captioner', 'generator', 'imageEmbedder', 'textEmbedder'],
  'reference-audit': ['generator', 'imageEmbedder'],
};

export const KIND_LABELS: Record<RunKind, string> = {
  suggest: 'Suggest captions (image → text → image)',
  'verify-images': 'Verify images (text → image → text)',
  'reference-audit': 'Audit references (draw each reference back)',
};

/** The generator samplers by the names their diffusers classes are known under. */
export const SCHEDULER_LABELS: Record<SchedulerName, string> = {
  ddim: 'DDIM',
  pndm: 'PNDM (PLMS)',
  euler: 'Euler',
  'euler-ancestral': 'Euler ancestral',
  lcm: 'LCM',
  'dpm-solver++': 'DPM-Solver++ (2M)',
};

/** Florence-2's caption tasks, as the select shows them. */
export const CAPTION_TASK_LABELS: Record<CaptionTask, string> = {
  '<CAPTION>': 'Caption (one line)',
  '<DETAILED_CAPTION>': 'Detailed caption',
  '<MORE_DETAILED_CAPTION>': 'More detailed caption (a paragraph)',
};

/**
 * Whether the run's captioner (chosen in the form, else the project's) has tasks: Florence-2
 * does; the task select is shown, and the task sent, only then.
 */
export function captionerTakesTask(form: Pick<RunForm, 'kind' | 'models'>, models: ModelsList | null): boolean {
  if (!KIND_SLOTS[form.kind].includes('captioner')) return false;
  const id = slotModelId(form, 'captioner', models);
  return (models?.models ?? []).some((m) => m.id === id && m.family === 'florence-2');
}

/** The model a slot runs: the one chosen in the form, else the project's. */
function slotModelId(form: Pick<RunForm, 'models'>, slot: ModelSlot, models: ModelsList | null): string | undefined {
  return form.models[slot] || models?.project?.activeModels[slot];
}

/** Model slots in running text ("captioner fp16, image embedder q8"). */
const SLOT_NAMES: Record<ModelSlot, string> = { captioner: 'captioner', generator: 'generator', imageEmbedder: 'image embedder', textEmbedder: 'text embedder' };

/** The precision variants the model of a slot holds: the one chosen in the form, else the project's. */
export function slotVariants(form: Pick<RunForm, 'models'>, slot: ModelSlot, models: ModelsList | null): OnnxDtype[] {
  const id = slotModelId(form, slot, models);
  return (models?.models ?? []).find((m) => m.id === id)?.variants ?? [];
}

/** A slot's chosen variant while its model holds it; '' (auto: the best present) otherwise. */
export function chosenDtype(form: Pick<RunForm, 'models' | 'dtypes'>, slot: ModelSlot, models: ModelsList | null): OnnxDtype | '' {
  const chosen = form.dtypes[slot];
  return chosen && slotVariants(form, slot, models).includes(chosen) ? chosen : '';
}

/**
 * The variants to send, per slot of the kind: a choice made for a model the form no longer uses
 * is dropped (as the caption task is), so a run never asks a folder for a variant it was not
 * offered.
 */
export function presentDtypes(form: Pick<RunForm, 'kind' | 'models' | 'dtypes'>, models: ModelsList | null): RunForm['dtypes'] {
  return Object.fromEntries(
    KIND_SLOTS[form.kind].flatMap((slot) => {
      const chosen = chosenDtype(form, slot, models);
      return chosen ? [[slot, chosen]] : [];
    }),
  );
}

/** "captioner fp16, image embedder q8": a run's chosen variants, in slot order. */
export function describeDtypes(dtypes: ModelDtypes | undefined): string {
  return (Object.keys(SLOT_NAMES) as ModelSlot[]).flatMap((slot) => (dtypes?.[slot] ? [`${SLOT_NAMES[slot]} ${dtypes[slot]}`] : [])).join(', ');
}

/**
 * The variants a run's sessions actually opened, per slot ("captioner fp16, generator fp32"): what
 * the worker reported, so it shows the best-present choice too. A slot whose graphs differ lists each.
 */
export function openedDtypes(execution: Execution): string {
  const bySlot = new Map<string, Set<string>>();
  for (const s of execution.sessions) {
    if (!s.slot || !s.dtype) continue;
    bySlot.set(s.slot, (bySlot.get(s.slot) ?? new Set()).add(s.dtype));
  }
  return (Object.keys(SLOT_NAMES) as ModelSlot[]).flatMap((slot) => (bySlot.has(slot) ? [`${SLOT_NAMES[slot]} ${[...bySlot.get(slot)!].join('+')}`] : [])).join(', ');
}

export type Scope = 'project' | 'dataset' | 'filter' | 'marked';

export interface RunForm {
  kind: RunKind;
  scope: Scope;
  datasetId: number | null;
  /** The images named for the run: the grid's current filter (scope `filter`) or its marked images (`marked`). */
  filterIds: number[];
  /** Blank: every image of the scope. */
  limit: string;
  models: Partial<Record<ModelSlot, string>>;
  provider: ExecutionProvider | '';
  candidates: string;
  sampler: 'top-p' | 'top-k' | 'beam';
  topP: string;
  topK: string;
  /** Top-p / top-k: candidate 1 is the greedy caption, the other N − 1 are sampled. */
  greedyCandidate: boolean;
  steps: string;
  guidance: string;
  /** '' = the generator's own (its measured or published sampler). */
  scheduler: '' | SchedulerName;
  /** '' = the captioner's default task (<CAPTION>); sent only for captioners with tasks. */
  captionTask: '' | CaptionTask;
  /** Precision variant per slot; a slot left out (or '') opens the best variant present. */
  dtypes: Partial<Record<ModelSlot, OnnxDtype | ''>>;
  seed: string;
}

export const EMPTY_FORM: RunForm = {
  kind: 'suggest',
  scope: 'project',
  datasetId: null,
  filterIds: [],
  limit: '',
  models: {},
  provider: '',
  candidates: '',
  sampler: 'top-p',
  topP: '0.9',
  topK: '20',
  greedyCandidate: true,
  steps: '',
  guidance: '',
  scheduler: '',
  captionTask: '',
  dtypes: {},
  seed: '1',
};

/** A number typed in a field, or undefined when blank; `NaN` when it is not a number (the API refuses it with a message). */
function num(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/** Strips undefined fields, so the request carries only what the user set. */
function defined<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function runRequest(form: RunForm): MethodInput<'runs:start'> {
  const selection = defined({
    datasetId: form.scope === 'dataset' && form.datasetId !== null ? form.datasetId : undefined,
    imageIds: (form.scope === 'filter' || form.scope === 'marked') && form.filterIds.length ? form.filterIds : undefined,
    limit: num(form.limit),
  });
  const sampled = form.kind === 'suggest' && form.sampler !== 'beam';
  const sampling =
    form.kind === 'suggest'
      ? defined({
          sampler: form.sampler,
          topP: form.sampler === 'top-p' ? num(form.topP) : undefined,
          topK: form.sampler === 'top-k' ? num(form.topK) : undefined,
          greedyCandidate: sampled ? form.greedyCandidate : undefined,
        })
      : {};
  const settings = defined({
    seed: num(form.seed),
    candidates: form.kind === 'reference-audit' ? undefined : num(form.candidates),
    steps: num(form.steps),
    guidance: num(form.guidance),
    scheduler: form.scheduler || undefined,
    captionTask: form.kind !== 'reference-audit' && form.captionTask ? form.captionTask : undefined,
    ...sampling,
  });
  const models = Object.fromEntries(KIND_SLOTS[form.kind].flatMap((slot) => (form.models[slot] ? [[slot, form.models[slot]]] : [])));
  const dtypes = Object.fromEntries(KIND_SLOTS[form.kind].flatMap((slot) => (form.dtypes[slot] ? [[slot, form.dtypes[slot]]] : [])));
  return {
    kind: form.kind,
    selection,
    settings: Object.keys(dtypes).length ? { ...settings, dtypes } : settings,
    ...(Object.keys(models).length ? { models } : {}),
    ...(form.provider ? { provider: form.provider } : {}),
  };
}

/** "12.3 images/s · about 2 min left", for a running run's progress line. */
export function rateAndEta(itemsPerSecond: number | null | undefined, etaSeconds: number | null | undefined): string {
  const parts: string[] = [];
  if (itemsPerSecond != null) parts.push(itemsPerSecond >= 10 ? `${itemsPerSecond.toFixed(0)} images/s` : itemsPerSecond >= 1 ? `${itemsPerSecond.toFixed(1)} images/s` : `${(1 / Math.max(itemsPerSecond, 1e-9)).toFixed(1)} s per image`);
  if (etaSeconds != null) parts.push(`about ${duration(etaSeconds)} left`);
  return parts.join(' · ');
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  return `${h} h ${Math.round((seconds - h * 3600) / 60)} min`;
}
