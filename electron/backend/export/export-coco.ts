/**
 * `coco-captions`: a COCO captions file ({info, licenses, images, annotations}). Image and
 * caption ids from the source dataset are kept; images without one get the project's stable
 * export id (ExportContext.imageId), captions without one ids after the largest in use.
 * `file_name` is the image's path relative to the common folder of the exported datasets (the
 * dataset root itself when one dataset is exported; `info.roundtrip.image_root`), so file names
 * are unique across datasets and the export plus that folder re-imports to the same ids, file
 * names and captions.
 *
 * Provenance: `info.roundtrip` says how the file was made; a caption an annotator accepted or
 * edited, or a run selected, carries `provenance` (who, when, which run candidate), and
 * `roundtrip_runs` at the end lists those runs' models and settings. Readers of COCO files
 * ignore keys they do not know.
 *
 * Three passes over the images, each read in pages: check (ids, blank captions) before anything
 * is written, then stream the images, then the annotations, into a temporary file that replaces
 * the target only when complete.
 */
import type { ExportImage } from '../../storage/repos/export-source-repo.js';
import { writeFileAtomically, type WriteChunk } from '../../files/atomic-file.js';
import { CaptionPicker, type ExportCaption } from './export-captions.js';
import { CaptionIdCheck, checkCaptionText, checkImageIdsUnique, ExportProblems, refuseEmpty } from './export-checks.js';
import type { ExportContext, ExportCounts } from './export-context.js';
import { exportInfo } from './export-info.js';
import { commonRoot, imagePath } from './export-karpathy.js';
import type { CaptionProvenance } from './provenance.js';

export async function exportCocoCaptions(ctx: ExportContext): Promise<ExportCounts> {
  checkImageIdsUnique(ctx);
  const picker = new CaptionPicker(ctx.request.captions, ctx.request.includeReferences);
  await checkCaptions(ctx, picker);
  let counts: ExportCounts = { images: 0, captions: 0, files: 1, withoutCaption: 0 };
  await writeFileAtomically(ctx.out, async (write) => {
    counts = await writeCoco(ctx, picker, write);
  });
  return counts;
}

async function checkCaptions(ctx: ExportContext, picker: CaptionPicker): Promise<void> {
  const problems = new ExportProblems();
  const ids = new CaptionIdCheck(problems);
  const ticker = ctx.ticker('checking');
  let listed = 0;
  for await (const page of ctx.pages()) {
    for (const image of page.images) {
      ticker.tick();
      const captions = picker.captionsFor(image, page.references.get(image.id) ?? []);
      if (captions) listed++;
      for (const caption of captions ?? []) {
        ids.claim(caption.externalId, image);
        checkCaptionText(ctx, problems, caption.text, image);
      }
    }
  }
  ticker.finish();
  problems.throwIfAny();
  // An image list without captions is still a COCO file (the toolkit's test-set layout, images to
  // caption later): only an export that would list no image is refused.
  refuseEmpty(ctx, listed);
}

async function writeCoco(ctx: ExportContext, picker: CaptionPicker, write: WriteChunk): Promise<ExportCounts> {
  const imageRoot = commonRoot(ctx.source.datasets(ctx.scope).map((d) => d.rootPath));
  const info = {
    description: `Exported from Roundtrip (captions: ${ctx.request.captions})`,
    version: '1.0',
    year: new Date().getFullYear(),
    contributor: 'Roundtrip',
    date_created: new Date().toISOString(),
    roundtrip: { ...exportInfo(ctx), image_root: imageRoot },
  };
  await write(`{"info":${JSON.stringify(info)},"licenses":[],"images":[`);
  // Internal ids of the images written: an annotation is written only for one of them, even if
  // a decision made during the export brought another image in (every annotation's image exists).
  const written = new Set<number>();
  let withoutCaption = 0;
  let ticker = ctx.ticker('writing images');
  for await (const page of ctx.pages()) {
    const lines: string[] = [];
    for (const image of page.images) {
      ticker.tick();
      const captions = picker.captionsFor(image, page.references.get(image.id) ?? []);
      if (!captions) continue;
      if (captions.length === 0) withoutCaption++;
      lines.push(JSON.stringify({ id: ctx.imageId(image), file_name: imagePath(imageRoot, image), width: image.width, height: image.height }));
      written.add(image.id);
    }
    if (lines.length) await write(`${written.size > lines.length ? ',' : ''}\n${lines.join(',\n')}`);
  }
  ticker.finish();

  await write('\n],"annotations":[');
  let nextId = ctx.source.maxExternalReferenceId() + 1;
  let annotations = 0;
  ticker = ctx.ticker('writing annotations');
  for await (const page of ctx.pages()) {
    const lines: string[] = [];
    for (const image of page.images) {
      ticker.tick();
      if (!written.has(image.id)) continue;
      for (const caption of picker.captionsFor(image, page.references.get(image.id) ?? []) ?? []) {
        lines.push(JSON.stringify(annotation(ctx, image, caption, caption.externalId ?? nextId++)));
      }
    }
    if (lines.length) await write(`${annotations > 0 ? ',' : ''}\n${lines.join(',\n')}`);
    annotations += lines.length;
  }
  ticker.finish();
  await write(`\n],"roundtrip_runs":${JSON.stringify(ctx.runs.list())}}\n`);
  return { images: written.size, captions: annotations, files: 1, withoutCaption };
}

function annotation(ctx: ExportContext, image: ExportImage, caption: ExportCaption, id: number): { id: number; image_id: number; caption: string; provenance?: CaptionProvenance } {
  const entry = { id, image_id: ctx.imageId(image), caption: caption.text };
  if (caption.provenance.source === 'reference') return entry;
  ctx.runs.note(caption.provenance);
  return { ...entry, provenance: caption.provenance };
}
