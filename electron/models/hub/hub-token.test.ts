import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hfHome, hubCacheDir, repoCacheFolderName } from './hf-paths.js';
import { readHubToken } from './hub-token.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rt-hub-token-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readHubToken', () => {
  it('takes HF_TOKEN first, then the legacy HUGGING_FACE_HUB_TOKEN, cleaning newlines and blanks', () => {
    expect(readHubToken({ HF_TOKEN: ' hf_one\n', HUGGING_FACE_HUB_TOKEN: 'hf_two' }, dir)?.reveal()).toBe('hf_one');
    expect(readHubToken({ HF_TOKEN: '  ', HUGGING_FACE_HUB_TOKEN: 'hf_two' }, dir)).toMatchObject({ source: 'HUGGING_FACE_HUB_TOKEN' });
  });

  it('reads HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token', async () => {
    await writeFile(join(dir, 'custom'), 'hf_from_path\r\n');
    expect(readHubToken({ HF_TOKEN_PATH: join(dir, 'custom') }, dir)?.reveal()).toBe('hf_from_path');
    await mkdir(join(dir, 'hfhome'));
    await writeFile(join(dir, 'hfhome', 'token'), 'hf_from_home');
    expect(readHubToken({ HF_HOME: join(dir, 'hfhome') }, dir)).toMatchObject({ source: join(dir, 'hfhome', 'token') });
    await mkdir(join(dir, '.cache', 'huggingface'), { recursive: true });
    await writeFile(join(dir, '.cache', 'huggingface', 'token'), 'hf_default');
    expect(readHubToken({}, dir)?.reveal()).toBe('hf_default');
    // Environment wins over the file, as in huggingface_hub.
    expect(readHubToken({ HF_TOKEN: 'hf_env' }, dir)?.reveal()).toBe('hf_env');
  });

  it('is none when no token is configured, or the file is empty', async () => {
    expect(readHubToken({}, dir)).toBeUndefined();
    await writeFile(join(dir, 'empty'), '\n');
    expect(readHubToken({ HF_TOKEN_PATH: join(dir, 'empty') }, dir)).toBeUndefined();
  });

  it('names an unreadable token file', async () => {
    await mkdir(join(dir, 'a-folder'));
    expect(() => readHubToken({ HF_TOKEN_PATH: join(dir, 'a-folder') }, dir)).toThrow(`${join(dir, 'a-folder')}: cannot read the Hugging Face token file (EISDIR)`);
    // Tests may run as root, where chmod 0 does not deny a read: the reader reports EACCES itself.
    const denied = join(dir, 'denied');
    const read = (p: string) => {
      const error = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      if (p === denied) throw error;
      return '';
    };
    expect(() => readHubToken({ HF_TOKEN_PATH: denied }, dir, read)).toThrow(`${denied}: cannot read the Hugging Face token file (EACCES)`);
  });

  it('refuses a token that cannot go into a header, without quoting it', async () => {
    // fetch's own error for such a header quotes it whole: "Headers.append: \"Bearer …\" is an invalid header value."
    for (const bad of ['hf_two words', 'hf_nul\0x', 'hf_é']) {
      expect(() => readHubToken({ HF_TOKEN: bad }, dir)).toThrow('HF_TOKEN: the Hugging Face token there has characters a token cannot have');
      try {
        readHubToken({ HF_TOKEN: bad }, dir);
      } catch (error) {
        expect((error as Error).message).not.toContain(bad);
      }
    }
    await writeFile(join(dir, 'tok'), 'hf_a\tb\n');
    expect(() => readHubToken({ HF_TOKEN_PATH: join(dir, 'tok') }, dir)).toThrow(`${join(dir, 'tok')}: the Hugging Face token there has characters`);
  });

  it('never shows the token when printed, logged or serialised', () => {
    const token = readHubToken({ HF_TOKEN: 'hf_SECRETSECRET' }, dir)!;
    for (const shown of [String(token), `${token}`, JSON.stringify({ token }), inspect(token), inspect({ nested: { token } })]) {
      expect(shown).not.toContain('hf_SECRETSECRET');
      expect(shown).toContain('HF_TOKEN');
    }
  });
});

describe('hub cache paths', () => {
  it('follow huggingface_hub: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub', () => {
    expect(hubCacheDir({ HF_HUB_CACHE: '/a', HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c' }, '/home/u')).toBe('/a');
    expect(hubCacheDir({ HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c' }, '/home/u')).toBe('/b');
    expect(hubCacheDir({ HF_HOME: '~/hf' }, '/home/u')).toBe('/home/u/hf/hub');
    expect(hubCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/huggingface/hub');
    expect(hubCacheDir({}, '/home/u')).toBe('/home/u/.cache/huggingface/hub');
    expect(hfHome({}, '/home/u')).toBe('/home/u/.cache/huggingface');
    expect(repoCacheFolderName('Xenova/vit-gpt2-image-captioning')).toBe('models--Xenova--vit-gpt2-image-captioning');
  });
});
