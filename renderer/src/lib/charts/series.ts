/**
 * Series colours of the interactive plots: the report figures' Okabe–Ito colours, as custom
 * properties ChartFigure sets per theme (the dark theme takes the palette's lighter blue).
 */
export const SERIES = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)'] as const;

/** Metric keys as the COCO toolkit names them → what the figures call them. */
const METRIC_LABELS: Record<string, string> = { Bleu_1: 'BLEU-1', Bleu_2: 'BLEU-2', Bleu_3: 'BLEU-3', Bleu_4: 'BLEU-4', ROUGE_L: 'ROUGE-L', CIDEr: 'CIDEr-D' };

export const metricLabel = (key: string): string => METRIC_LABELS[key] ?? key;
