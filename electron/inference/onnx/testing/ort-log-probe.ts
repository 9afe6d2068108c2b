/** Opens one model on the CUDA provider and prints which provider is in use (for ort-log.test.ts, run as its own process). */
import { OnnxSession } from '../session.js';

const session = await OnnxSession.open(process.argv[2]!, { provider: 'cuda' });
process.stdout.write(`${JSON.stringify({ provider: session.info.provider, fallbackReason: session.info.fallbackReason })}\n`);
