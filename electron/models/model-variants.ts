/**
 * Which precision variants a model folder holds, for the Models view and the run form's
 * per-model precision choice. Cheap on purpose (the model list is read often): one directory
 * listing of `onnx/` per folder, no graph is opened.
 *
 * A transformers.js-layout folder holds a variant when every graph its family requires has that
 * suffix (`onnx/encoder_model_fp16.onnx` and `onnx/decoder_model_merged_fp16.onnx`; MODELS.md
 * appendix §0). A diffusers folder holds one variant per component, whose dtype only the graph
 * says (graph-variants.ts `declaredDtype`); without opening it, the manifest's dtype is what is
 * known, else nothing is listed.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ONNX_DTYPES, type OnnxDtype } from '../../shared/contract/onnx-dtypes.js';
import { descriptorFor, graphPath } from './families.js';
import type { Role } from './manifest.js';

export interface VariantSource {
  path: string;
  family: string | undefined;
  role: Role | undefined;
  manifestDtype?: OnnxDtype | undefined;
}

export function presentVariants(model: VariantSource): OnnxDtype[] {
  const descriptor = model.family ? descriptorFor(model.family, model.role) : undefined;
  if (!descriptor) return [];
  if (descriptor.layout !== 'onnx-dir') return model.manifestDtype ? [model.manifestDtype] : [];
  const required = descriptor.graphs.filter((g) => !g.optional);
  const listings = new Map<string, Set<string>>();
  const exists = (relative: string) => {
    const folder = join(model.path, dirname(relative));
    if (!listings.has(folder)) listings.set(folder, new Set(listing(folder)));
    return listings.get(folder)!.has(relative.split('/').at(-1)!);
  };
  return ONNX_DTYPES.filter((dtype) => required.length > 0 && required.every((graph) => exists(graphPath(descriptor, graph, dtype))));
}

function listing(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}
