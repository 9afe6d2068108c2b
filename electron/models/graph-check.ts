/**
 * Opens an ONNX graph and compares its declared inputs and outputs with a family's GraphSpec.
 * Opening is injected (`GraphOpener`) so tests and callers without the native runtime can swap it;
 * the default uses onnxruntime-node on CPU and always releases the session again.
 */
import type { GraphSpec, TensorSpec } from './families.js';

export interface TensorInfo {
  name: string;
  /** onnxruntime's dtype name; `undefined` for a non-tensor value (sequence, map). */
  dtype: string | undefined;
  shape: readonly (number | string)[];
}

export interface GraphInfo {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export type GraphOpener = (path: string) => Promise<GraphInfo>;

/** Loads the graph with onnxruntime-node (imported lazily: `models list` never needs the binding). */
export const openWithOnnxRuntime: GraphOpener = async (path) => {
  await import('../inference/onnx/ort-log.js'); // the log level, before onnxruntime starts
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled' });
  try {
    const describe = (meta: (typeof session.inputMetadata)[number]): TensorInfo =>
      meta.isTensor ? { name: meta.name, dtype: meta.type, shape: [...meta.shape] } : { name: meta.name, dtype: undefined, shape: [] };
    return { inputs: session.inputMetadata.map(describe), outputs: session.outputMetadata.map(describe) };
  } finally {
    await session.release();
  }
};

export interface GraphFindings {
  problems: string[];
  warnings: string[];
}

function seriesPattern(name: string): RegExp | undefined {
  if (!name.includes('{i}')) return undefined;
  const escaped = name.split('{i}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('(\\d+)')}$`);
}

function matching(spec: TensorSpec, tensors: readonly TensorInfo[]): TensorInfo[] {
  const pattern = seriesPattern(spec.name);
  return tensors.filter((tensor) => (pattern ? pattern.test(tensor.name) : tensor.name === spec.name));
}

function checkSide(file: string, side: 'input' | 'output', specs: readonly TensorSpec[], tensors: readonly TensorInfo[], out: GraphFindings): void {
  const claimed = new Set<string>();
  for (const spec of specs) {
    const found = matching(spec, tensors);
    found.forEach((tensor) => claimed.add(tensor.name));
    const pattern = seriesPattern(spec.name);
    if (found.length === 0 || (pattern && !found.some((f) => f.name === spec.name.replace('{i}', '0')))) {
      if (!spec.optional) out.problems.push(`${file}: missing ${side} '${spec.name.replace('{i}', '0')}'`);
      continue;
    }
    for (const tensor of found) {
      if (tensor.dtype === undefined) out.problems.push(`${file}: ${side} '${tensor.name}' is not a tensor`);
      else if (!spec.dtypes.includes(tensor.dtype as never)) {
        out.problems.push(`${file}: ${side} '${tensor.name}' has dtype ${tensor.dtype}, expected ${spec.dtypes.join(' or ')}`);
      }
    }
  }
  // Extra outputs are harmless; an extra input is something our runtime will not feed, which
  // may or may not be fatal (some exports declare unused inputs), so it is a warning.
  if (side === 'input') {
    for (const tensor of tensors) if (!claimed.has(tensor.name)) out.warnings.push(`${file}: unexpected input '${tensor.name}' (the runtime will not feed it)`);
  }
}

/** Compares what a graph declares with what its family expects; messages name the file. */
export function checkGraph(file: string, spec: GraphSpec, info: GraphInfo): GraphFindings {
  const out: GraphFindings = { problems: [], warnings: [] };
  checkSide(file, 'input', spec.inputs, info.inputs, out);
  checkSide(file, 'output', spec.outputs, info.outputs, out);
  return out;
}
