/**
 * One ONNX graph loaded in onnxruntime-node, with what the rest of the engine needs to know
 * about it: its tensors (read from the session, never assumed, because public exports differ
 * in dtypes and ranks) and the execution provider actually in use.
 *
 * `run()` blocks the thread it is called on (onnxruntime-node runs synchronously inside a
 * setImmediate), so sessions live in the inference worker, never on a thread that answers the UI.
 */
import { existsSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import './ort-log.js';
import { onnxRunMeter } from './run-meter.js';

export type ExecutionProvider = 'cpu' | 'cuda' | 'dml' | 'coreml';


export interface TensorSpec {
  name: string;
  /** onnxruntime's type name: 'float32', 'int64', 'int32', 'bool', … */
  dtype: string;
  /** Numbers for fixed dimensions, names for symbolic ones. */
  shape: (number | string)[];
}

export interface SessionInfo {
  file: string;
  /** The precision variant the file is (graph-variants.ts), when the loader chose one. */
  dtype?: string;
  requestedProvider: ExecutionProvider;
  provider: ExecutionProvider;
  /** Why the requested provider is not the one in use, for the UI to show. */
  fallbackReason: string | null;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface SessionOptions {
  provider?: ExecutionProvider;
  intraOpThreads?: number;
}

/** Opening one graph: the session options plus the variant it is, recorded in its SessionInfo. */
export interface OpenOptions extends SessionOptions {
  dtype?: string;
}

export class OnnxSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly info: SessionInfo,
  ) {}

  static async open(file: string, options: OpenOptions = {}): Promise<OnnxSession> {
    if (!existsSync(file)) throw new ApiError(ErrorCode.NotFound, `${file}: missing file`);
    const requested = options.provider ?? 'cpu';
    const base: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
    };
    let fallbackReason: string | null = null;
    let session: ort.InferenceSession | undefined;
    if (requested !== 'cpu') {
      try {
        // Fatal-only logging: the failed library load is reported through fallbackReason instead.
        session = await ort.InferenceSession.create(file, { ...base, logSeverityLevel: 4, executionProviders: [requested] });
      } catch (error) {
        // A missing provider library throws rather than falling back; do it here, and say why.
        fallbackReason = `${requested} is not available (${firstLine(error)}); using the CPU`;
      }
    }
    try {
      session ??= await ort.InferenceSession.create(file, { ...base, executionProviders: ['cpu'] });
    } catch (error) {
      throw unrunnableVariant(file, 'cpu', error) ?? new ApiError(ErrorCode.BadFormat, `${file}: not a valid ONNX model (${firstLine(error)})`);
    }
    const info: SessionInfo = {
      file,
      ...(options.dtype ? { dtype: options.dtype } : {}),
      requestedProvider: requested,
      provider: fallbackReason === null ? requested : 'cpu',
      fallbackReason,
      inputs: session.inputMetadata.map(toSpec),
      outputs: session.outputMetadata.map(toSpec),
    };
    return new OnnxSession(session, info);
  }

  input(name: string): TensorSpec {
    return findSpec(this.info.file, 'input', this.info.inputs, name);
  }

  hasInput(name: string): boolean {
    return this.info.inputs.some((s) => s.name === name);
  }

  output(name: string): TensorSpec {
    return findSpec(this.info.file, 'output', this.info.outputs, name);
  }

  async run(feeds: Record<string, ort.Tensor>, outputNames?: string[]): Promise<Record<string, ort.Tensor>> {
    const started = performance.now();
    try {
      return await (outputNames ? this.session.run(feeds, outputNames) : this.session.run(feeds));
    } catch (error) {
      throw new ApiError(ErrorCode.Internal, `${this.info.file}: inference failed (${firstLine(error)})`);
    } finally {
      onnxRunMeter.runs++;
      onnxRunMeter.runMs += performance.now() - started;
    }
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function toSpec(m: ort.InferenceSession.ValueMetadata): TensorSpec {
  if (!m.isTensor) return { name: m.name, dtype: 'non-tensor', shape: [] };
  return { name: m.name, dtype: m.type, shape: [...m.shape] };
}

function findSpec(file: string, kind: 'input' | 'output', specs: TensorSpec[], name: string): TensorSpec {
  const spec = specs.find((s) => s.name === name);
  if (!spec) {
    const known = specs.map((s) => s.name).join(', ');
    throw new ApiError(ErrorCode.BadFormat, `${file}: missing ${kind} '${name}' (the graph has ${known})`);
  }
  return spec;
}

/**
 * A valid graph whose operators the provider has no kernel for (an fp16 or 4-bit variant on a
 * CPU build without them, e.g. Olive's fp16 SD builds, MODELS.md appendix §4).
 * Said at open time, before any image is processed, with what to do instead.
 */
function unrunnableVariant(file: string, provider: ExecutionProvider, error: unknown): ApiError | null {
  // Two wordings: standard-domain ops ("Could not find an implementation for Relu(14) node …") and
  // contrib ops such as fp16 GroupNorm ("Failed to find kernel for com.microsoft.GroupNorm(1) …").
  const text = String((error as Error)?.message ?? error);
  const match = /(?:Could not find an implementation for|Failed to find kernel for) ([\w.]+)(?:\((\d+)\))?/.exec(text);
  if (!match) return null;
  const op = match[2] ? `${match[1]} (version ${match[2]})` : match[1];
  return new ApiError(
    ErrorCode.NotSupported,
    `${file}: the ${provider.toUpperCase()} execution provider cannot run operator ${op} of this variant; choose the fp32 variant (or q8) of this model, or another execution provider`,
  );
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 300);
}
