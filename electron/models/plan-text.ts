/** How a pull plan is told to a person, the same in the CLI and the Models view. */
import type { PullPlanSummary } from './pull-plan.js';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

const size = (n: number | undefined) => (n === undefined ? 'size unknown' : formatBytes(n));

/** e.g. "10 files, 3.45 GiB: 8 from the Hugging Face cache (3.40 GiB), 2 to download (52.1 MiB)". */
export function describePlan(plan: PullPlanSummary): string {
  const head = `${plan.files} file${plan.files === 1 ? '' : 's'}, ${size(plan.bytes)}`;
  if (plan.fromCache.files === 0) return `${head} to download`;
  const rest = plan.download.files === 0 ? 'nothing to download' : `${plan.download.files} to download (${size(plan.download.bytes)})`;
  return `${head}: ${plan.fromCache.files} from the Hugging Face cache (${formatBytes(plan.fromCache.bytes)}), ${rest}`;
}

/**
 * Where a plan came from, when a person should know: a plan made from the Hugging Face cache alone
 * installs the commit the cache's refs/ recorded, which may be older than the hub's.
 */
export function describePlanSource(plan: PullPlanSummary): string | undefined {
  const cached = plan.plannedFromCache;
  if (!cached) return undefined;
  const pinned = cached.revision === cached.commit;
  const how = pinned ? `commit ${cached.commit}` : `refs/${cached.revision} → ${cached.commit}`;
  return `Planned from the Hugging Face cache (${how}); the hub was not asked${pinned ? '' : ` whether ${cached.revision} has moved since`}. To pull another commit: --revision <commit sha>.`;
}
