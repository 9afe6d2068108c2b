/** Chooses the transport for where the renderer is running: Electron (preload bridge) or a browser. */
import type { Transport } from '../../../../shared/contract/client.js';
import { IpcTransport, isRoundtripBridge } from './ipc-transport.js';
import { WsTransport, wsUrlFor } from './ws-transport.js';

export function selectTransport(scope: { roundtrip?: unknown; location: { href: string } }): Transport {
  if (isRoundtripBridge(scope.roundtrip)) return new IpcTransport(scope.roundtrip);
  return new WsTransport({ url: wsUrlFor(scope.location.href) });
}
