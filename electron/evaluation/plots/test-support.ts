/** Test helpers: rasterise a chart with the real svgToPng and look at its pixels. */
import sharp from 'sharp';
import { svgToPng } from './png.js';

export interface Raster {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

/** The PNG svgToPng makes, decoded again by sharp, as it would be when embedded in a report. */
export async function rasterise(svg: string, scale?: number): Promise<Raster> {
  const png = await svgToPng(svg, scale);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

function countPixels(raster: Raster, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < raster.data.length; i += raster.channels) {
    if (test(raster.data[i]!, raster.data[i + 1]!, raster.data[i + 2]!)) n++;
  }
  return n;
}

/** Pixels with any channel below `threshold`, i.e. visibly drawn on the white background. */
export function inkedPixels(raster: Raster, threshold = 235): number {
  return countPixels(raster, (r, g, b) => r < threshold || g < threshold || b < threshold);
}

/** Pixels within `tolerance` per channel of `hex` (#rrggbb), optionally as seen through `opacity` over white. */
export function pixelsOfColour(raster: Raster, hex: string, { tolerance = 12, opacity = 1 } = {}): number {
  const [r0, g0, b0] = [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * opacity + 255 * (1 - opacity)));
  return countPixels(raster, (r, g, b) => Math.abs(r - r0!) <= tolerance && Math.abs(g - g0!) <= tolerance && Math.abs(b - b0!) <= tolerance);
}

/** Everything that would make the SVG invalid or lie about the data, as text. */
export const NOT_A_NUMBER = /NaN|Infinity|undefined|null/;
