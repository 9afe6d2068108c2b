/**
 * Turns the entries of a COCO captions file into the images to import, each with its reference
 * captions, and reports every entry that cannot be used: invalid, duplicate ids, annotations
 * pointing at images that are not listed.
 */
import { CocoAnnotationSchema, CocoImageSchema, rawId, type CocoFile } from './coco-schema.js';
import { captionProblem, describeIssues, normalizeRelPath } from './entry-checks.js';
import type { NewImageItem } from './image-ingest.js';
import type { ReportBuilder } from './import-report.js';

export interface CocoImagePlan extends NewImageItem {
  externalId: number;
}

export function planCocoImport(data: CocoFile, report: ReportBuilder): CocoImagePlan[] {
  const byId = new Map<number, CocoImagePlan & { item: string }>();
  const byPath = new Map<string, number>();
  // Ids of image entries refused here: their annotations are skipped quietly, since the image
  // entry's problem already explains why they are missing.
  const refused = new Set<number>();

  data.images.forEach((entry, index) => {
    const item = `images[${index}]`;
    const parsed = CocoImageSchema.safeParse(entry);
    if (!parsed.success) {
      const id = rawId(entry);
      if (id !== undefined && !byId.has(id)) refused.add(id);
      report.problem(item, 'invalid-entry', `${item}: ${describeIssues(parsed.error)}`);
      return;
    }
    const { id, file_name: fileName } = parsed.data;
    const first = byId.get(id);
    if (first) {
      report.problem(item, 'duplicate-id', `${item}: image id ${id} (${fileName}) is already used by ${first.item} (${first.relPath}); keeping the first.`);
      return;
    }
    const relPath = normalizeRelPath(fileName);
    if (relPath === null) {
      refused.add(id);
      report.problem(item, 'invalid-entry', `${item}: file_name ${JSON.stringify(fileName)} must be a path inside the images folder.`);
      return;
    }
    const samePath = byPath.get(relPath);
    if (samePath !== undefined) {
      refused.add(id);
      report.problem(item, 'invalid-entry', `${item}: image id ${id} names ${relPath}, which is already image id ${samePath}.`);
      return;
    }
    byId.set(id, { item, relPath, externalId: id, references: [] });
    byPath.set(relPath, id);
  });

  const annotationIds = new Map<number, string>();
  data.annotations.forEach((entry, index) => {
    const id = rawId(entry);
    const item = id === undefined ? `annotations[${index}]` : `annotation ${id}`;
    const parsed = CocoAnnotationSchema.safeParse(entry);
    if (!parsed.success) {
      report.problem(item, 'invalid-entry', `${item}: ${describeIssues(parsed.error)}`);
      return;
    }
    const { image_id: imageId, caption } = parsed.data;
    const unusable = captionProblem(caption);
    if (unusable) {
      report.problem(item, 'invalid-entry', `${item}: ${unusable}.`);
      return;
    }
    if (id !== undefined) {
      const first = annotationIds.get(id);
      if (first) {
        report.problem(item, 'duplicate-id', `${item} (annotations[${index}]) reuses the id of ${first}; keeping the first.`);
        return;
      }
      annotationIds.set(id, `annotations[${index}]`);
    }
    const image = byId.get(imageId);
    if (!image) {
      if (!refused.has(imageId)) report.problem(item, 'missing-image', `${item} is for image id ${imageId}, which is not in "images".`);
      return;
    }
    image.references.push({ text: caption, externalId: id ?? null });
  });
  return [...byId.values()].map(({ item: _item, ...plan }) => plan);
}
