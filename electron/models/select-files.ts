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

export function selectFiles(descriptor: FamilyDescriptor, available: readonly string[], dtype: OnnxDtype = 'fp32'): Selection {
  const chosen = new Set<string>();
  const missing: string[] = [];
  for (const graph of descriptor.graphs) {
    if (graph.optional) continue;
    const path = graphPath(descriptor, graph, dtype);
    if (!available.includes(path)) {
      missing.push(path);
      continue;
    }
    chosen.add(path);
    if (descriptor.layout === 'subfolders') {
      // One component per folder: its config and external weights (model.onnx_data, weights.pb).
      const folder = path.slice(0, path.lastIndexOf('/') + 1);
      for (const p of under(folder, available)) if (!p.endsWith('.onnx') && !p.slice(folder.length).includes('/')) chosen.add(p);
    } else {
      // transformers.js external data: onnx/model.onnx_data, onnx/model.onnx_data_1, …
      for (const p of under(`${path}_data`, available)) chosen.add(p);
    }
  }
  for (const required of descriptor.requiredFiles) {
    const found = required.endsWith('/') ? under(required, available) : available.filter((p) => p === required);
    if (found.length === 0) missing.push(required);
    found.forEach((p) => chosen.add(p));
  }
  for (const optional of descriptor.optionalFiles) {
    (optional.endsWith('/') ? under(optional, available) : available.filter((p) => p === optional)).forEach((p) => chosen.add(p));
  }
  return { files: [...chosen].sort(), missing };
}

interface RepoHints {
  files: readonly string[];
  config?: { model_type?: unknown; decoder?: { model_type?: unknown } } | undefined;
  modelIndexText?: string | undefined;
}

/** Guesses the family from config.json's `model_type`, model_index.json and the file list. */
export function inferFamily(hints: RepoHints): string {
  const { files, config, modelIndexText } = hints;
  if (modelIndexText !== undefined || files.includes('unet/model.onnx')) {
    return /LCMScheduler|LatentConsistency/.test(modelIndexText ?? '') ? 'lcm' : 'stable-diffusion';
  }
  const type = typeof config?.model_type === 'string' ? config.model_type : undefined;
  if (type === 'vision-encoder-decoder') return 'vit-gpt2';
  if (type === 'blip' || type === 'clip' || type === 'dinov2') return type;
  if (files.includes('modules.json') || files.includes('sentence_bert_config.json')) return 'sentence-transformers';
  const seen = type ? `model_type '${type}'` : 'no config.json model_type';
  throw new Error(`cannot tell which model family this is (${seen}); pass --family (one of ${KNOWN_FAMILIES.filter((f) => f !== 'demo').join(', ')})`);
}

export function resolveDescriptor(family: string, role?: Role): FamilyDescriptor {
  const descriptor = descriptorFor(family, role);
  if (!descriptor) throw new Error(`unknown family '${family}' (known: ${KNOWN_FAMILIES.join(', ')})`);
  if (role && !descriptor.roles.includes(role)) throw new Error(`family '${family}' cannot be a ${role} (it can be ${descriptor.roles.join(' or ')})`);
  return descriptor;
}
