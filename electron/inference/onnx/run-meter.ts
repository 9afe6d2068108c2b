/**
 * Time spent inside onnxruntime's run(), summed over every session of this process. The engine
 * benchmark divides end-to-end time by it (engine overhead; 1.0 is the floor), which needs the
 * total across captioner, generator and embedder sessions whoever owns them.
 */
export const onnxRunMeter = { runs: 0, runMs: 0 };

export function resetOnnxRunMeter(): void {
  onnxRunMeter.runs = 0;
  onnxRunMeter.runMs = 0;
}
