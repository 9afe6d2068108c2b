/**
 * The backend host as an Electron utilityProcess (issue 17), behind the SpawnHost the supervisor
 * takes (a Node fork in tests and the stall bench: backend/host/fork-host.ts). Chromium launches
 * it, so it works with the RunAsNode fuse off. A window is connected with a MessageChannelMain:
 * one port goes to the host with a `host:connect` frame (`utilityProcess.postMessage(message,
 * [transfer])`, received in the host as `parentPort` 'message' `event.ports`), the other to the
 * page (`webContents.postMessage(channel, message, [transfer])`, a DOM MessagePort in preload's
 * `ipcRenderer.on` `event.ports`) — electronjs.org/docs/latest/api/utility-process,
 * /api/parent-port, /tutorial/message-ports.
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { IpcChannel } from '../../shared/contract/channels.js';
import { CONNECT_FRAME } from '../backend/host/host-protocol.js';
import type { HostProcess, SpawnHost } from '../backend/host/host-process.js';

export interface UtilityHosts {
  spawn: SpawnHost;
  /** Gives `contents` its own port to `host` (call again with each restarted host). */
  connectWindow(host: HostProcess, contents: WebContents): void;
}

export function utilityHosts(entry: string): UtilityHosts {
  const children = new WeakMap<HostProcess, UtilityProcess>();
  return {
    spawn(config) {
      const child = utilityProcess.fork(entry, [JSON.stringify(config)], { serviceName: 'Roundtrip backend', stdio: 'inherit' });
      let running = true;
      const exited = new Promise<string>((resolve) =>
        child.once('exit', (code) => {
          running = false;
          resolve(`exit code ${code}`);
        }),
      );
      const host: HostProcess = {
        get pid() {
          return child.pid;
        },
        channel: {
          postMessage: (message) => {
            if (!running) throw new Error('The backend process is not running');
            child.postMessage(message);
          },
          onMessage: (listener) => {
            child.on('message', listener);
            return () => void child.off('message', listener);
          },
        },
        exited,
        kill: () => void child.kill(),
      };
      children.set(host, child);
      return host;
    },
    connectWindow(host, contents) {
      const child = children.get(host);
      if (!child || contents.isDestroyed()) return;
      const { port1, port2 } = new MessageChannelMain();
      child.postMessage({ kind: CONNECT_FRAME }, [port1]);
      contents.postMessage(IpcChannel.port, null, [port2]);
    },
  };
}
