/** Entry point of the inference worker process (bundled to dist/inference/engine-worker.mjs). */
import { parentChannel } from '../inference/worker/child-process-host.js';
import { serveRpc } from '../inference/worker/rpc.js';
import { engineWorkerMethods } from './engine-worker-methods.js';

serveRpc(parentChannel(), engineWorkerMethods());
