import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';

/**
 * The renderer build. Sources (electron/server/) and bundles (dist/cli/) are both two folders
 * below the package root, so the same relative path finds it.
 */
export function findRendererDir(): string {
  const dir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
  if (!existsSync(join(dir, 'index.html'))) {
    throw new ApiError(ErrorCode.NotFound, `The renderer is not built (${dir} has no index.html). Run \`npm run build\` first.`);
  }
  return dir;
}
