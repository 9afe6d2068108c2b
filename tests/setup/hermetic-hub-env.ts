/**
 * Tests never see this machine's own Hugging Face setup: a developer's token or hub cache would
 * otherwise reach every test that builds a ModelRegistry without an explicit `env` (a pull test
 * could link files from ~/.cache/huggingface, or send a real token to the local hub). Tests that
 * exercise the token and the cache set these variables themselves (vi.stubEnv or an `env` object).
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const nowhere = join(tmpdir(), `roundtrip-tests-no-hf-home-${process.pid}`);
for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HF_TOKEN_PATH', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE']) delete process.env[name];
process.env.HF_HOME = nowhere;
