/**
 * Which files of a hub repo a family needs: its graphs in the chosen dtype (with their external
 * weight files), its required configs and tokenizer, and the optional ones the repo has. Repos
 * hold every dtype variant and often PyTorch weights too; fetching only these saves gigabytes.
 */
import { descriptorFor, graphPath, KNOWN_FAMILIES, type FamilyDescriptor } from './families.js';
import type { OnnxDtype, Role } from './manifest.js';

export interface Selection {
  files: string[];
  /** Required files the repo lacks, named as the family expects them. */
  missing: string[];
}

const under = (prefix: string, available: readonly string[]) => available.filter((p) => p.startsWith(prefix));

/**
 * Weights Roundtrip never loads (PyTorch, Flax, TF, GGUF): published repos keep them beside the
 * ONNX graphs — LCM Dreamshaper's unet/diffusion_pytorch_model.safetensors alone is 3.4 GB
 * (MODELS.md appendix §4) — so nothing with these endings is ever selected, whatever folder it is in.
 */
const NEVER_PULLED = /\.(safetensors|bin|ckpt|msgpack|pt|pth|h5|gguf)$/i;

/**
 * The external data of a graph, in the three styles published exports use (appendix §0, §4, §7):
 * `<file>.onnx_data`, `<file>.onnx_data_1`… (transformers.js, Optimum), `<file>.onnx.data` (Olive)
 * and, in the diffusers converter's component folders, `weights.pb`.
 */
function externalData(graph: string, available: readonly string[], subfolder: boolean): string[] {
  const folder = graph.slice(0, graph.lastIndexOf('/') + 1);
  const data = `${graph}_data`;
  const chunk = (p: string) => p.startsWith(`${data}_`) && /^\d+$/.test(p.slice(data.length + 1));
  return available.filter((p) => p === data || chunk(p) || p === `${graph}.data` || (subfolder && p === `${folder}weights.pb`));
}

export function selectFiles(descriptor: FamilyDescriptor, available: readonly string[], dtype: OnnxDtype = 'fp32'): Selection {
  const chosen = new Set<string>();
  const missing: string[] = [];
  const subfolder = descriptor.layout === 'subfolders';
  for (const graph of descriptor.graphs) {
    if (graph.optional) continue;
    const path = graphPath(descriptor, graph, dtype);
    if (!available.includes(path)) {
      missing.push(path);
      continue;
    }
    chosen.add(path);
    externalData(path, available, subfolder).forEach((p) => chosen.add(p));
    // A diffusers component's config.json (unet sample_size, VAE scaling_factor) sits beside its graph.
    const config = `${path.slice(0, path.lastIndexOf('/') + 1)}config.json`;
    if (subfolder && available.includes(config)) chosen.add(config);
  }
  for (const required of descriptor.requiredFiles) {
    const found = (required.endsWith('/') ? under(required, available) : available.filter((p) => p === required)).filter((p) => !NEVER_PULLED.test(p));
    if (found.length === 0) missing.push(required);
    found.forEach((p) => chosen.add(p));
  }
  for (const optional of descriptor.optionalFiles) {
    (optional.endsWith('/') ? under(optional, available) : available.filter((p) => p === optional)).forEach((p) => chosen.add(p));
  }
  return { files: [...chosen].filter((p) => !NEVER_PULLED.test(p)).sort(), missing };
}

export function resolveDescriptor(family: string, role?: Role): FamilyDescriptor {
  const descriptor = descriptorFor(family, role);
  if (!descriptor) throw new Error(`unknown family '${family}' (known: ${KNOWN_FAMILIES.join(', ')})`);
  if (role && !descriptor.roles.includes(role)) throw new Error(`family '${family}' cannot be a ${role} (it can be ${descriptor.roles.join(' or ')})`);
  return descriptor;
}
