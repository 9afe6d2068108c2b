/**
 * API calls straight onto a backend's dispatcher, for code in the same process that has no
 * transport (Electron's startup, the demo world, tests and benches): a refused call throws the
 * ApiError it carried, code included.
 */
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/api.js';
import { ApiError } from '../../shared/contract/errors.js';
import type { Backend } from './backend.js';

export type BackendCall = <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;

export function backendCall(backend: Backend): BackendCall {
  return async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const outcome = await backend.dispatcher.dispatch(method, input, { actor: backend.actor });
    if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
    return outcome.result as MethodOutput<M>;
  };
}
