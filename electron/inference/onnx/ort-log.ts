/**
 * onnxruntime's process-wide log level, set on import by every module that opens sessions (the
 * engine's and the models' graph check), before onnxruntime starts its environment.
 */
import ort from 'onnxruntime-node';

const ORT_LOG_LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;
type OrtLogLevel = (typeof ORT_LOG_LEVELS)[number];

/**
 * onnxruntime's process-wide log level, read once when its environment starts (the first
 * session). Fatal only by default: a GPU provider that cannot load logs its library error from
 * native code straight to stderr, outside any session's logSeverityLevel, while the API reports
 * the same thing as the session's fallbackReason. ROUNDTRIP_ORT_LOG=warning brings the log back.
 */
export function ortLogLevel(env: NodeJS.ProcessEnv = process.env): OrtLogLevel {
  const wanted = env.ROUNDTRIP_ORT_LOG;
  return ORT_LOG_LEVELS.find((level) => level === wanted) ?? 'fatal';
}
ort.env.logLevel = ortLogLevel();
