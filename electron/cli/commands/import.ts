import type { ImportReport } from '../../../shared/contract/schemas.js';
import { CliFailure, type CliIo } from '../cli-io.js';
import type { CommandContext } from '../command.js';

export async function importCommand({ positionals, values, client, io }: CommandContext): Promise<void> {
  await client.call('project:open', { path: positionals[0]! });
  const folder = values.folder as string | undefined;
  const coco = values.coco as string | undefined;
  let report: ImportReport;
  if (folder && !coco) {
    report = await client.call('import:folder', { folder });
  } else if (coco && !folder) {
    const images = values.images as string | undefined;
    if (!images) throw new CliFailure('import --coco FILE needs --images IMGDIR (the folder the file names are relative to)');
    report = await client.call('import:coco', { file: coco, images });
  } else {
    throw new CliFailure('import needs exactly one of --folder IMGDIR or --coco FILE --images IMGDIR');
  }
  printReport(report, io);
}

export function printReport(report: ImportReport, io: CliIo): void {
  io.out(
    `Imported ${report.imported} image(s) and ${report.references} reference caption(s) into dataset ${report.datasetId}` +
      `${report.alreadyPresent ? `; ${report.alreadyPresent} already in the project` : ''}` +
      ` in ${(report.durationMs / 1000).toFixed(1)} s.`,
  );
  if (report.problems.length) {
    io.out(`${report.problems.length} item(s) were not imported:`);
    for (const p of report.problems) io.out(`  ${p.item}: ${p.code}: ${p.message}`);
  }
}
