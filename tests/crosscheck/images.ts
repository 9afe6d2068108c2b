/** Test images for the cross-checks, made at test time at the size a model takes (no resampling). */
import sharp from 'sharp';

/** Three coloured squares on differently coloured grounds, in different places: `size`×`size` PNGs. */
export async function shapeImages(size: number): Promise<Buffer[]> {
  return shapeImagesOf(size, size);
}

/** The same scenes at `width`×`height` (squares sized from the shorter side). */
export async function shapeImagesOf(width: number, height: number): Promise<Buffer[]> {
  const size = Math.min(width, height);
  const scenes = [
    { bg: { r: 240, g: 240, b: 230 }, fg: { r: 220, g: 40, b: 40 }, left: 0.1, top: 0.5 },
    { bg: { r: 20, g: 30, b: 90 }, fg: { r: 250, g: 220, b: 40 }, left: 0.55, top: 0.1 },
    { bg: { r: 60, g: 160, b: 70 }, fg: { r: 255, g: 255, b: 255 }, left: 0.3, top: 0.3 },
  ];
  return Promise.all(
    scenes.map(({ bg, fg, left, top }) => {
      const side = Math.round(size * 0.4);
      const square = { create: { width: side, height: side, channels: 3 as const, background: fg } };
      return sharp({ create: { width, height, channels: 3, background: bg } })
        .composite([{ input: square, left: Math.round(width * left), top: Math.round(height * top) }])
        .png()
        .toBuffer();
    }),
  );
}

/** `run` on each item in turn (model calls one at a time, as the peer makes them). */
export async function eachAlone<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await run(item));
  return out;
}
