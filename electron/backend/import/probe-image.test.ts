import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { probeImage } from './probe-image.js';
import { firstHalf, noiseImage, pngClaimingSize, tempDir, writeFiles } from './test-images.js';

describe('probeImage', () => {
  it('accepts JPEG, PNG and WebP by content, with hash, size, dimensions and a WebP thumbnail', async () => {
    const dir = tempDir('probe');
    writeFiles(dir, {
      'a.jpg': await noiseImage('jpeg', 600, 300),
      'b.png': await noiseImage('png', 30, 20),
      'c.webp': await noiseImage('webp', 40, 50),
      'png-named.jpg': await noiseImage('png', 10, 10),
    });
    const a = await probeImage(join(dir, 'a.jpg'));
    expect(a).toMatchObject({ ok: true, format: 'jpeg', width: 600, height: 300 });
    if (!a.ok) throw new Error('unreachable');
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const thumb = await sharp(a.thumbnail).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 256, height: 128 });
    expect(await probeImage(join(dir, 'b.png'))).toMatchObject({ ok: true, format: 'png', width: 30, height: 20 });
    expect(await probeImage(join(dir, 'c.webp'))).toMatchObject({ ok: true, format: 'webp', width: 40, height: 50 });
    expect(await probeImage(join(dir, 'png-named.jpg'))).toMatchObject({ ok: true, format: 'png' });
  });

  it('reports upright dimensions for EXIF-rotated photos', async () => {
    const dir = tempDir('probe');
    writeFiles(dir, { 'r.jpg': await sharp(await noiseImage('jpeg', 40, 30)).withMetadata({ orientation: 6 }).jpeg().toBuffer() });
    const r = await probeImage(join(dir, 'r.jpg'));
    expect(r).toMatchObject({ ok: true, width: 30, height: 40 });
    if (r.ok) expect(await sharp(r.thumbnail).metadata()).toMatchObject({ width: 30, height: 40 });
  });

  it('names the file and classifies each kind of bad file', async () => {
    const dir = tempDir('probe');
    writeFiles(dir, {
      'empty.png': Buffer.alloc(0),
      'fake.jpg': 'this is not a picture',
      'half.jpg': firstHalf(await noiseImage('jpeg', 200, 200)),
      'half.png': firstHalf(await noiseImage('png', 200, 200)),
      'half.webp': firstHalf(await noiseImage('webp', 200, 200)),
      'anim.gif': await noiseImage('gif', 8, 8),
      'huge.png': await pngClaimingSize(20000, 20000),
    });
    const probe = (rel: string) => probeImage(join(dir, rel), { name: rel });
    expect(await probe('empty.png')).toMatchObject({ ok: false, code: 'empty-file', message: expect.stringContaining('empty.png') });
    expect(await probe('fake.jpg')).toMatchObject({ ok: false, code: 'not-an-image', message: expect.stringContaining('fake.jpg') });
    expect(await probe('half.jpg')).toMatchObject({ ok: false, code: 'truncated', message: expect.stringContaining('half.jpg') });
    expect(await probe('half.png')).toMatchObject({ ok: false, code: 'truncated' });
    expect(await probe('half.webp')).toMatchObject({ ok: false, code: 'truncated' });
    expect(await probe('anim.gif')).toMatchObject({ ok: false, code: 'unsupported', message: expect.stringContaining('GIF') });
    expect(await probe('missing.jpg')).toMatchObject({ ok: false, code: 'missing-file' });
    expect(await probe('.')).toMatchObject({ ok: false, code: 'unreadable' });
  });

  it('refuses oversized images from the header alone, quickly, with their dimensions', async () => {
    const dir = tempDir('probe');
    writeFiles(dir, { 'huge.png': await pngClaimingSize(20000, 20000), 'small.png': await noiseImage('png', 100, 100) });
    const started = performance.now();
    const huge = await probeImage(join(dir, 'huge.png'), { name: 'huge.png' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(huge).toMatchObject({ ok: false, code: 'too-large', message: expect.stringContaining('20000×20000') });
    expect(await probeImage(join(dir, 'small.png'), { maxPixels: 9_999 })).toMatchObject({ ok: false, code: 'too-large' });
    expect(await probeImage(join(dir, 'small.png'), { maxPixels: 10_000 })).toMatchObject({ ok: true });
  });
});
