/**
 * `sidecar-txt`: a folder of images, each with a `.txt` of the same name beside it, as kohya-style
 * trainers read (first line = the caption; every line an alternative in wildcard mode). The
 * decided caption comes first; references follow with --include-references, or make up the file
 * of an undecided image. Provenance per image is in `roundtrip-provenance.jsonl` (trainers read
 * only images and their captions); filters and runs in `roundtrip-export.json`.
 */
import { writeFile } from 'node:fs/promises';
import { ErrorCode } from '../../../shared/contract/errors.js';
import { ioError } from '../../files/atomic-file.js';
import { CaptionPicker } from './export-captions.js';
import type { ExportContext, ExportCounts } from './export-context.js';
import { captionedItems, writeImageFolder } from './folder-export.js';
import { ExportNames, pathInside, withoutExtension } from './image-placement.js';

export const PROVENANCE_FILE = 'roundtrip-provenance.jsonl';

export async function exportSidecarTxt(ctx: ExportContext): Promise<ExportCounts> {
  const picker = new CaptionPicker(ctx.request.captions, ctx.request.includeReferences);
  const names = new ExportNames(ctx.source.datasets(ctx.scope));
  // `a.jpg` and `a.png` would share `a.txt`; only names are kept (a few MB at 100,000 images).
  const sidecars = new Set<string>();
  return writeImageFolder(ctx, {
    linesFile: PROVENANCE_FILE,
    items: (page) =>
      captionedItems(ctx, page, picker, names, (image, captions, name) => ({
        image,
        name,
        file: ctx.imageFile(image),
        captions,
        line: { file_name: name, image_id: ctx.imageId(image), captions: captions.map((c) => c.provenance) },
      })),
    check(item, problems) {
      const sidecar = sidecarName(item.name);
      if (sidecars.has(sidecar)) problems.add(ErrorCode.Conflict, 'images would share a caption file', `${item.name} → ${sidecar}`, 'rename one of each pair, or export them apart');
      sidecars.add(sidecar);
    },
    async beside(folder, item) {
      const txt = pathInside(folder, sidecarName(item.name), item.image);
      await writeFile(txt, item.captions.map((c) => `${c.text}\n`).join(''), { flag: 'wx' }).catch((error: unknown) => Promise.reject(ioError(txt, error)));
      return 1;
    },
  });
}

const sidecarName = (imageName: string): string => `${withoutExtension(imageName)}.txt`;
