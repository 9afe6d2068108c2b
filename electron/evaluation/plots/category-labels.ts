/**
 * Labels under a categorical x axis (bar groups). Horizontal when every label fits its slot;
 * otherwise turned 45° so longer labels stay readable, and when even slanted labels would
 * collide, only every k-th group is labelled.
 */
import { fitText, textWidth } from './svg.js';

/** Longest a slanted label may run before it is shortened with an ellipsis. */
const MAX_SLANTED_WIDTH = 110;
const SIN_45 = Math.SQRT1_2;

export interface CategoryLabels {
  /** One per category; '' where a label is left out to avoid collisions. */
  labels: string[];
  slanted: boolean;
  /** Vertical room the labels need below the tick marks. */
  height: number;
  /** How far the first label reaches left of its tick (slanted labels run down and to the left). */
  overhang: number;
}

export function categoryLabels(labels: readonly string[], plotWidth: number, fontSize: number): CategoryLabels {
  const slot = plotWidth / Math.max(1, labels.length);
  const oneLine = labels.map((l) => fitText(l, Infinity, fontSize));
  if (oneLine.every((l) => textWidth(l, fontSize) <= slot - 4)) return { labels: oneLine, slanted: false, height: fontSize + 4, overhang: 0 };
  // Slanted baselines are slot·sin 45° apart; below ~1.2 font sizes the glyphs overlap.
  const every = Math.max(1, Math.ceil((fontSize * 1.2) / (slot * SIN_45)));
  const fitted = oneLine.map((l, i) => (i % every === 0 ? fitText(l, MAX_SLANTED_WIDTH, fontSize) : ''));
  const longest = Math.max(0, ...fitted.map((l) => textWidth(l, fontSize)));
  const overhang = textWidth(fitted[0] ?? '', fontSize) * SIN_45;
  return { labels: fitted, slanted: true, height: (longest + fontSize) * SIN_45 + 4, overhang };
}
