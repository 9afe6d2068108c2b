/**
 * `models verify`: is this folder a usable model? Checks the manifest's files (present, size,
 * sha256) and the family's layout (required files, and each ONNX graph's tensor names and dtypes).
 * Every problem names the file it is about, so the user knows what to re-download or re-export.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { descriptorFor, graphPath, KNOWN_FAMILIES } from './families.js';
import { sha256File } from './file-hash.js';
import { checkGraph, type GraphOpener } from './graph-check.js';
import { MANIFEST_FILE, type ModelManifest, type OnnxDtype, type Role } from './manifest.js';
import { listModelFolder } from './model-folder-files.js';
import { checkSchedulerConfig } from './scheduler-check.js';

export interface VerifyOptions {
  openGraph: GraphOpener;
  /** Hash every file (slow for gigabyte models); sizes are always checked. Default true. */
  hashes?: boolean;
  /** Load every ONNX graph and check its tensors. Default true. */
  graphs?: boolean;
}

export interface VerifyReport {
  id: string;
  path: string;
  ok: boolean;
  problems: string[];
  warnings: string[];
  /** Files whose size (and hash, when hashing) was checked against the manifest. */
  filesChecked: number;
  graphsChecked: number;
}

/** What verify needs to know about a folder: its manifest, or what its layout suggests. */
export interface FolderIdentity {
  id: string;
  path: string;
  family: string;
  role: Role;
  dtype?: OnnxDtype;
  manifest?: ModelManifest;
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

async function nonEmptyDir(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch {
    return false;
  }
}

export async function verifyFolder(folder: FolderIdentity, options: VerifyOptions): Promise<VerifyReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const missing = new Set<string>();
  let filesChecked = 0;
  let graphsChecked = 0;
  const reportMissing = (file: string) => {
    if (!missing.has(file)) problems.push(`${file}: missing file`);
    missing.add(file);
  };

  // Every entry, not only the expected files: a loop or a FIFO anywhere would fail the run later.
  problems.push(...(await listModelFolder(folder.path)).problems);

  for (const file of folder.manifest?.files ?? []) {
    const size = await sizeOf(join(folder.path, file.path));
    if (size === undefined) {
      reportMissing(file.path);
      continue;
    }
    filesChecked++;
    if (size !== file.bytes) {
      // A wrong size already says the file is damaged; hashing it too would only cost time.
      problems.push(`${file.path}: size mismatch (expected ${file.bytes} bytes, got ${size})`);
      continue;
    }
    if (options.hashes !== false) {
      const actual = await sha256File(join(folder.path, file.path));
      if (actual !== file.sha256) problems.push(`${file.path}: sha256 mismatch (expected ${file.sha256}, got ${actual})`);
    }
  }

  const descriptor = descriptorFor(folder.family, folder.role);
  if (!descriptor) {
    problems.push(`${MANIFEST_FILE}: unknown family '${folder.family}' (known: ${KNOWN_FAMILIES.join(', ')})`);
    return { id: folder.id, path: folder.path, ok: false, problems, warnings, filesChecked, graphsChecked };
  }
  if (!descriptor.roles.includes(folder.role)) {
    problems.push(`${MANIFEST_FILE}: role '${folder.role}' does not fit family '${folder.family}' (it can be ${descriptor.roles.join(' or ')})`);
  }

  for (const required of descriptor.requiredFiles) {
    if (required.endsWith('/')) {
      if (!(await nonEmptyDir(join(folder.path, required)))) problems.push(`${required}: missing folder`);
    } else if ((await sizeOf(join(folder.path, required))) === undefined) reportMissing(required);
  }

  for (const graph of descriptor.graphs) {
    const file = graphPath(descriptor, graph, folder.dtype);
    if ((await sizeOf(join(folder.path, file))) === undefined) {
      if (!graph.optional) reportMissing(file);
      continue;
    }
    if (options.graphs === false) continue;
    graphsChecked++;
    let info;
    try {
      info = await options.openGraph(join(folder.path, file));
    } catch (error) {
      // onnxruntime repeats the absolute path ("Load model from /x/y failed:…"); the file is named already.
      const reason = String((error as Error).message ?? error).split('\n')[0]!.replace(/^Load model from .* failed:\s*/, '').trim();
      problems.push(`${file}: not a valid ONNX file (${reason})`);
      continue;
    }
    const findings = checkGraph(file, graph, info);
    problems.push(...findings.problems);
    warnings.push(...findings.warnings);
  }

  if (folder.role === 'generator') {
    const scheduler = checkSchedulerConfig(folder.path, folder.manifest);
    problems.push(...scheduler.problems);
    warnings.push(...scheduler.warnings);
  }

  return { id: folder.id, path: folder.path, ok: problems.length === 0, problems, warnings, filesChecked, graphsChecked };
}
