import type { MethodName, MethodOutput, ParsedInput } from '../../shared/contract/api.js';

/** Who is calling; recorded with every decision. */
export interface CallContext {
  actor: string;
}

/**
 * One handler per API method. Declaring the table with `satisfies Handlers` makes a method
 * without a handler (or a handler returning the wrong shape) a compile-time error.
 */
export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;
};
