/**
 * The CLI drives the very backend the app uses, through the same dispatcher, so every command
 * gets the same input validation and the same error messages as the UI.
 */
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/api.js';
import type { JobProgress } from '../../shared/contract/schemas.js';
import { createBackend, type Backend } from '../backend/backend.js';
import { appVersion } from '../backend/app-version.js';
import { CliFailure, type CliIo } from './cli-io.js';

export class CliBackend {
  readonly backend: Backend;

  constructor(
    private readonly io: CliIo,
    actor: string,
  ) {
    this.backend = createBackend({ mode: 'browser', version: appVersion(), actor, log: { ...console, error: (...a) => io.err(a.join(' ')) } });
    this.backend.bus.subscribe((event, payload) => {
      if (event === 'job:progress') this.showProgress(payload as JobProgress);
    });
  }

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const outcome = await this.backend.dispatcher.dispatch(method, input, { actor: this.backend.actor });
    if (!outcome.ok) throw new CliFailure(outcome.error.message);
    return outcome.result as MethodOutput<M>;
  }

  private showProgress(p: JobProgress): void {
    if (p.finished) return this.io.progress('');
    const pct = p.total > 0 ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
    this.io.progress(`${p.kind}: ${p.phase} ${p.done}/${p.total}${pct}`);
  }

  dispose(): Promise<void> {
    return this.backend.dispose();
  }
}
