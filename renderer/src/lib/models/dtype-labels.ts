/**
 * The precision variants as the Models view and the run form name them: the transformers.js
 * dtype (what `--dtype` and the file suffix use; MODELS.md appendix §0) and what it means.
 */
import type { OnnxDtype } from '../../../../shared/contract/onnx-dtypes.js';

export const DTYPE_LABELS: Readonly<Record<OnnxDtype, string>> = {
  fp32: 'fp32 (full precision)',
  fp16: 'fp16 (half precision)',
  q8: 'q8 (8-bit quantized, _quantized)',
  int8: 'int8 (8-bit, signed)',
  uint8: 'uint8 (8-bit, unsigned)',
  q4: 'q4 (4-bit weights)',
  q4f16: 'q4f16 (4-bit weights, fp16 activations)',
  bnb4: 'bnb4 (4-bit, bitsandbytes)',
};
