/**
 * Precision variants of an ONNX graph under the file names transformers.js uses: `onnx/<graph>`
 * plus a suffix per dtype (utils/dtypes.js DEFAULT_DTYPE_SUFFIX_MAPPING; MODELS.md appendix §0).
 * Shared so a run's settings, a model manifest and the loaders name them the same way.
 */
import { z } from 'zod';

export const ONNX_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type OnnxDtype = (typeof ONNX_DTYPES)[number];
export const OnnxDtypeSchema = z.enum(ONNX_DTYPES);

/** MODELS.md appendix §0: fp32 → none · fp16 `_fp16` · q8 `_quantized` · int8 · uint8 · q4 · q4f16 · bnb4. */
export const DTYPE_SUFFIX: Readonly<Record<OnnxDtype, string>> = Object.freeze({
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
});

/**
 * A precision variant chosen per model slot of a run (slots as in run-schemas' MODEL_SLOTS);
 * a slot left out takes the model's manifest dtype, else the best variant present for the
 * provider (fp32 on the CPU, fp16 on CUDA).
 */
export const ModelDtypesSchema = z
  .object({ captioner: OnnxDtypeSchema.optional(), generator: OnnxDtypeSchema.optional(), imageEmbedder: OnnxDtypeSchema.optional(), textEmbedder: OnnxDtypeSchema.optional() })
  .strict();
export type ModelDtypes = z.infer<typeof ModelDtypesSchema>;
