import type { ImportReport } from '../../../shared/contract/schemas.js';
import { CliFailure, type CliIo } from '../cli-io.js';
import type { CommandContext } from '../command.js';

export async function importCommand({ positionals, values, client, io, stopSignal }: CommandContext): Promise<void> {
  await client.call('project:open', { path: positionals[0]! });
  const folder = values.folder as string | undefined;
  const coco = values.coco as string | undefined;
  let importing: Promise<ImportReport>;
  if (folder && !coco) {
    importing = client.call('import:folder', { folder });
  } else if (coco && !folder) {
    const images = values.images as string | undefined;
    if (!images) throw new CliFailure('import --coco FILE needs --images IMGDIR (the folder the file names are relative to)');
    importing = client.call('import:coco', { file: coco, images });
  } else {
    throw new CliFailure('import needs exactly one of --folder IMGDIR or --coco FILE --images IMGDIR');
  }
  // Ctrl+C cancels the import, which then fails with a message saying what was kept.
  let stopped = false;
  void stopSignal.then(() => {
    stopped = true;
    io.progress('');
    io.err('Stopping the import…');
    // The backend may already be shutting down; the import then ends on its own.
    return client.call('import:cancel', {}).catch(() => {});
  });
  try {
    printReport(await importing, io);
  } catch (error) {
    // 130: the shell's code for "ended by Ctrl+C".
    if (stopped && error instanceof CliFailure) throw new CliFailure(error.message, 130);
    throw error;
  }
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
