/**
 * Which precision variants a model folder holds, for the Models view and the run form's
 * per-model precision choice. Cheap on purpose (the model list is read often): one directory
 * listing of `onnx/` per folder, no graph is opened.
 *
 * A transformers.js-layout folder holds a variant when every graph its family requires has that
 * suffix (`onnx/encoder_model_fp16.onnx` and `onnx/decoder_model_merged_fp16.onnx`; MODELS.md
 * appendix §0). A diffusers folder holds one variant per component, named by the precision of
 * its UNet's weights (graph-variants.ts `declaredDtype`): read from the file's headers, no
 * session opened — a few hundred small reads for a multi-GB UNet, remembered per file size and
 * mtime. A UNet that cannot be read lists the manifest's dtype, else nothing (verify says why).
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ONNX_DTYPES, type OnnxDtype } from '../../shared/contract/onnx-dtypes.js';
import { readWeightPrecision } from '../inference/onnx/weight-precision.js';
import { descriptorFor, type FamilyDescriptor, graphPath } from './families.js';
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
  if (descriptor.layout !== 'onnx-dir') {
    const dtype = componentDtype(model.path, descriptor);
    return dtype ? [dtype] : model.manifestDtype ? [model.manifestDtype] : [];
  }
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

const scanned = new Map<string, { stamp: string; dtype: OnnxDtype }>();

/** The weights' precision of the folder's UNet (the graph a generator dtype is checked against), else its first required graph. */
function componentDtype(dir: string, descriptor: FamilyDescriptor): OnnxDtype | undefined {
  const graph = descriptor.graphs.find((g) => g.path.startsWith('unet/')) ?? descriptor.graphs.find((g) => !g.optional);
  if (!graph) return undefined;
  const file = join(dir, graph.path);
  try {
    const { size, mtimeMs } = statSync(file);
    const stamp = `${size}:${mtimeMs}`;
    const known = scanned.get(file);
    if (known?.stamp === stamp) return known.dtype;
    const { dtype } = readWeightPrecision(file);
    scanned.set(file, { stamp, dtype });
    return dtype;
  } catch {
    return undefined;
  }
}
