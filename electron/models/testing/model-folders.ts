/**
 * Test helper: writes a complete model folder for a family — tiny graphs with exactly the tensor
 * names and dtypes its descriptor asks for, the required files, and a manifest with real hashes —
 * which tests then damage in one specific way.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { descriptorFor, graphPath, type TensorSpec } from '../families.js';
import { writeManifest, type ModelManifest, type OnnxDtype, type Role } from '../manifest.js';
import { onnxModelBytes, type ProtoDtype, type ProtoTensor } from './onnx-proto.js';

export interface FolderOptions {
  role?: Role;
  dtype?: OnnxDtype;
  id?: string;
  /** Rewrites a graph's declared tensors before it is encoded. */
  tweak?: (graph: string, io: { inputs: ProtoTensor[]; outputs: ProtoTensor[] }) => void;
  /** Leave the manifest out (an "unmanaged" folder such as a demo export). */
  noManifest?: boolean;
}

const MODEL_TYPE: Record<string, string> = {
  'vit-gpt2': 'vision-encoder-decoder',
  blip: 'blip',
  'florence-2': 'florence2',
  clip: 'clip',
  dinov2: 'dinov2',
  'sentence-transformers': 'bert',
};

function expand(spec: TensorSpec): ProtoTensor[] {
  if (spec.optional) return [];
  const dtype = spec.dtypes[0] as ProtoDtype;
  const names = spec.name.includes('{i}') ? [0, 1].map((i) => spec.name.replace('{i}', String(i))) : [spec.name];
  return names.map((name) => ({ name, dtype, shape: ['batch_size', 4] }));
}

export async function writeFileDeep(path: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/** The files a family requires, as bytes: its graphs (for `dtype`) and its required configs. */
export function familyFiles(family: string, options: FolderOptions = {}): Map<string, Buffer> {
  const descriptor = descriptorFor(family, options.role)!;
  const files = new Map<string, Buffer>();
  for (const graph of descriptor.graphs.filter((g) => !g.optional)) {
    const rel = graphPath(descriptor, graph, options.dtype);
    const io = { inputs: graph.inputs.flatMap(expand), outputs: graph.outputs.flatMap(expand) };
    options.tweak?.(rel, io);
    files.set(rel, onnxModelBytes(io.inputs, io.outputs));
  }
  for (const required of descriptor.requiredFiles) {
    const rel = required.endsWith('/') ? `${required}vocab.json` : required;
    // A config.json names its model_type, as every published one does: it is what pull infers the family from.
    const modelType = rel === 'config.json' ? MODEL_TYPE[descriptor.family] : undefined;
    files.set(rel, Buffer.from(JSON.stringify({ file: rel, family, ...(modelType ? { model_type: modelType } : {}) })));
  }
  return files;
}

/** Writes the folder and returns the paths (relative) it wrote. */
export async function writeModelFolder(dir: string, family: string, options: FolderOptions = {}): Promise<string[]> {
  const files = familyFiles(family, options);
  for (const [rel, bytes] of files) await writeFileDeep(join(dir, rel), bytes);
  if (!options.noManifest) await writeManifest(dir, await manifestFor(dir, family, [...files.keys()], options));
  return [...files.keys()];
}

export async function manifestFor(dir: string, family: string, paths: string[], options: FolderOptions = {}): Promise<ModelManifest> {
  const files = await Promise.all(
    paths.map(async (path) => {
      const bytes = await readFile(join(dir, path));
      return { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
  const role = options.role ?? descriptorFor(family, options.role)?.roles[0] ?? 'captioner';
  return {
    id: options.id ?? `test/${family}`,
    role,
    family,
    name: family,
    version: '1',
    licence: 'MIT',
    ...(options.dtype ? { dtype: options.dtype } : {}),
    files,
  };
}
