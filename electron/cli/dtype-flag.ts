/**
 * `--dtype slot=dtype` (repeatable): the precision variant of a run's models, e.g.
 * `--dtype captioner=q8 --dtype imageEmbedder=fp16`. Slots as in run settings (captioner,
 * generator, imageEmbedder, textEmbedder; `embedder` is accepted for the image embedder, as the
 * CLI's --embedder names it); dtypes by the transformers.js suffix names (MODELS.md appendix §0).
 */
import { type ModelDtypes, ONNX_DTYPES, type OnnxDtype } from '../../shared/contract/onnx-dtypes.js';
import { MODEL_SLOTS, type ModelSlot } from '../../shared/contract/run-schemas.js';
import { engineDtypes, type EngineModelDtypes } from '../engine/model-load-options.js';
import { CliFailure } from './cli-io.js';

export const DTYPE_OPTION = { dtype: { type: 'string', multiple: true } } as const;

/** Usage text of the flag, for the commands' usage lines. */
export const DTYPE_USAGE = `[--dtype SLOT=${ONNX_DTYPES.join('|')} …]`;

const ALIASES: Record<string, ModelSlot> = { embedder: 'imageEmbedder', 'image-embedder': 'imageEmbedder', 'text-embedder': 'textEmbedder' };

export function dtypesFrom(value: unknown): ModelDtypes {
  const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: ModelDtypes = {};
  for (const item of items) {
    const [rawSlot, dtype, extra] = String(item).split('=');
    const slot = ALIASES[rawSlot ?? ''] ?? rawSlot;
    if (extra !== undefined || !slot || !dtype) throw new CliFailure(`--dtype takes slot=dtype, e.g. --dtype captioner=q8 (got "${String(item)}")`, 2);
    if (!(MODEL_SLOTS as readonly string[]).includes(slot)) throw new CliFailure(`--dtype ${String(item)}: unknown model slot "${rawSlot}"; one of ${MODEL_SLOTS.join(', ')}`, 2);
    if (!(ONNX_DTYPES as readonly string[]).includes(dtype)) throw new CliFailure(`--dtype ${String(item)}: unknown dtype "${dtype}"; one of ${ONNX_DTYPES.join(', ')}`, 2);
    if (out[slot as ModelSlot] !== undefined) throw new CliFailure(`--dtype names ${slot} twice`, 2);
    out[slot as ModelSlot] = dtype as OnnxDtype;
  }
  return out;
}

/**
 * `--dtype` of a run command, as the run records it (engine role names); a slot the command's run
 * does not use is a usage error, not silently dropped.
 */
export function runDtypesFrom(value: unknown, slots: readonly ModelSlot[], kind: string): { dtypes?: EngineModelDtypes } {
  const chosen = dtypesFrom(value);
  try {
    return engineDtypes(chosen, slots, kind);
  } catch (error) {
    throw new CliFailure(`--dtype ${(error as Error).message.replace(/^dtypes\./, '')}`, 2);
  }
}
