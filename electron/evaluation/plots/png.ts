/** Rasterising a chart for reports that need images (Markdown, PDFs): librsvg through sharp. */
import sharp from 'sharp';

/**
 * PNG of `svg` at `scale` × its width/height attributes (default 1; 2 for high-DPI). Rendering
 * at a higher density, rather than resizing a 1× bitmap, keeps text and lines sharp. The
 * result is opaque: transparent areas become white.
 */
export async function svgToPng(svg: string, scale = 1): Promise<Buffer> {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`svgToPng: scale must be a positive number, got ${scale}`);
  // librsvg maps 1 px to 1/72 in at density 72, so density 72·scale renders at scale×.
  return sharp(Buffer.from(svg), { density: 72 * scale })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}
