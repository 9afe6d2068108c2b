/**
 * Which captions an export writes for an image, by caption source:
 * - `prefer-decided`: the decided caption (accepted or edited) if there is one, else every reference;
 * - `references`: every reference, ignoring decisions;
 * - `decided-only`: only images with a decided caption, one caption each.
 */
import type { CaptionSource } from '../../../shared/contract/schemas.js';
import type { Project } from '../../storage/project.js';
import type { ImageRecord } from '../../storage/repos/images-repo.js';

export interface ExportCaption {
  /** The caption's id in the source dataset, when it has one; exports keep it. */
  externalId: number | null;
  text: string;
}

export class CaptionPicker {
  constructor(
    private readonly project: Project,
    private readonly source: CaptionSource,
  ) {}

  /** The captions to write for `image`, or null when the image is left out of the export. */
  captionsFor(image: ImageRecord): ExportCaption[] | null {
    const decided = this.source === 'references' ? null : this.decided(image);
    if (this.source === 'decided-only') return decided ? [decided] : null;
    if (decided) return [decided];
    return this.project.references.forImage(image.id).map((r) => ({ externalId: r.externalId, text: r.text }));
  }

  private decided(image: ImageRecord): ExportCaption | null {
    // `caption` of a record is the decided one only when the status says a caption was chosen.
    if ((image.status !== 'accepted' && image.status !== 'edited') || image.caption === null) return null;
    if (image.status === 'accepted') {
      // Accepting a reference unchanged keeps that reference's id, so a round trip is stable.
      const referenceId = this.project.decisions.current(image.id)?.referenceId;
      const reference = referenceId == null ? undefined : this.project.references.get(referenceId);
      if (reference && reference.text === image.caption) return { externalId: reference.externalId, text: image.caption };
    }
    return { externalId: null, text: image.caption };
  }
}
