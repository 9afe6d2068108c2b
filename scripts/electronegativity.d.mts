// Types of scripts/electronegativity.mjs for the test that checks its rules.
export interface ElectronegativityIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { value: number; name: string };
  description: string;
}
export function findingsAboveLow(issues: ElectronegativityIssue[], root?: string): string[];
export function unexplainedDisables(text: string): string[];
