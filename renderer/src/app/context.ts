/** Typed wrappers over Svelte context so a component asks for a service by token, not by string. */
import { getContext, hasContext, setContext } from 'svelte';

export class InjectionToken<T> {
  readonly key: symbol;
  /** Phantom field that carries T so tokens for different services do not unify. */
  declare readonly __type: T;

  constructor(readonly name: string) {
    this.key = Symbol(name);
  }
}

export function provide<T>(token: InjectionToken<T>, value: T): void {
  setContext(token.key, value);
}

export function inject<T>(token: InjectionToken<T>): T {
  if (!hasContext(token.key)) throw new Error(`Nothing provided for ${token.name}; see renderer/src/app/deps.ts`);
  return getContext<T>(token.key);
}
