/** A Node MessagePort (worker_threads) as the channel a connection serves or a PortClient attaches to, for tests of the port protocol. */
import type { MessagePort } from 'node:worker_threads';
import type { MessageChannelLike } from '../../../inference/worker/rpc.js';

export function channelOf(port: MessagePort): MessageChannelLike {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.on('message', listener);
      return () => void port.off('message', listener);
    },
  };
}
