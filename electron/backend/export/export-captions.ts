/**
 * Which captions an export writes for an image, by caption source:
 * - `prefer-decided`: the decided caption (accepted or edited) if there is one, else every reference;
 * - `references`: every reference, ignoring decisions;
 * - `decided-only`: only images with a decided caption, one caption each.
 * With `includeReferences`, a decided caption comes with the image's references too (the one it
 * accepted unchanged only once). Every caption carries its provenance.
 */
import type { CaptionSource } from '../../../shared/contract/schemas.js';
import type { ExportImage, ExportReference } from '../../storage/repos/export-source-repo.js';
import { decisionProvenance, referenceProvenance, type CaptionProvenance } from './provenance.js';

export interface ExportCaption {
  /** The caption's id in the source dataset, when it has one; exports keep it. */
  externalId: number | null;
  text: string;
  provenance: CaptionProvenance;
}

export class CaptionPicker {
  constructor(
    private readonly source: CaptionSource,
    private readonly includeReferences = false,
  ) {}

  /** The captions to write for `image`, or null when the image is left out of the export. */
  captionsFor(image: ExportImage, references: readonly ExportReference[]): ExportCaption[] | null {
    const decided = this.source === 'references' ? null : this.decided(image, references);
    if (this.source === 'decided-only' && !decided) return null;
    if (!decided) return references.map(asCaption);
    if (!this.includeReferences) return [decided.caption];
    return [decided.caption, ...references.filter((r) => r.id !== decided.referenceId).map(asCaption)];
  }

  private decided(image: ExportImage, references: readonly ExportReference[]): { caption: ExportCaption; referenceId: number | null } | null {
    if (image.decidedText === null) return null;
    const provenance = decisionProvenance(image);
    const referenceId = image.decision?.referenceId ?? null;
    if (image.status === 'accepted' && referenceId !== null) {
      // Accepting a reference unchanged keeps that reference's id, so a round trip is stable.
      const reference = references.find((r) => r.id === referenceId);
      if (reference && reference.text === image.decidedText) {
        return { caption: { externalId: reference.externalId, text: image.decidedText, provenance }, referenceId };
      }
    }
    return { caption: { externalId: null, text: image.decidedText, provenance }, referenceId: null };
  }
}

const asCaption = (r: ExportReference): ExportCaption => ({ externalId: r.externalId, text: r.text, provenance: referenceProvenance });
