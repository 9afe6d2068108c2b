/**
 * The audit view: which list is showing, the runs it reads, and one paged list per tab —
 * disagreements and vocabulary of a suggest run, weak references of a reference audit — plus
 * the evaluation figures of the suggest run and the notes and tags researchers left on images.
 */
import type { ApiClient } from '../../../../shared/contract/client.js';
import type { ApiErrorShape } from '../../../../shared/contract/errors.js';
import type { Disagreement, Disagreements, NotesSearch, TagCounts, Vocabulary, VocabularySide, VocabularyWord, WeakReference, WeakReferences } from '../../../../shared/contract/audit-schemas.js';
import type { EvaluationReport } from '../../../../shared/contract/report-schemas.js';
import type { Run } from '../../../../shared/contract/run-schemas.js';
import { InjectionToken } from '../../app/context.js';
import { toErrorShape } from '../api/to-error.js';
import { PagedList } from './paged-list.svelte.js';

export type AuditTab = 'disagreements' | 'weak-references' | 'vocabulary' | 'figures' | 'notes';

export const AUDIT_TABS: readonly { tab: AuditTab; label: string }[] = [
  { tab: 'disagreements', label: 'Disagreements' },
  { tab: 'weak-references', label: 'Weak references' },
  { tab: 'vocabulary', label: 'Vocabulary' },
  { tab: 'figures', label: 'Figures' },
  { tab: 'notes', label: 'Notes & tags' },
];

type NotesItem = NotesSearch['items'][number];

export class AuditState {
  tab = $state<AuditTab>('disagreements');
  /** Suggest and reference-audit runs with finished images, newest first. */
  suggestRuns = $state.raw<Run[]>([]);
  auditRuns = $state.raw<Run[]>([]);
  /** Null: the newest run of its kind with results. */
  suggestRunId = $state<number | null>(null);
  auditRunId = $state<number | null>(null);
  side = $state<VocabularySide>('model');
  wordSearch = $state('');
  noteQuery = $state('');
  noteTag = $state<string | null>(null);
  tags = $state.raw<TagCounts>([]);
  report = $state.raw<EvaluationReport | null>(null);
  reportLoading = $state(false);
  reportError = $state.raw<ApiErrorShape | null>(null);
  /** The researcher stopped the report; it is computed again only when asked. */
  reportCancelled = $state(false);
  /** The runs could not be read: the lists below would be empty for the wrong reason. */
  runsError = $state.raw<ApiErrorShape | null>(null);
  /** The tags could not be read (the notes themselves still can be). */
  tagsError = $state.raw<ApiErrorShape | null>(null);

  readonly disagreements: PagedList<Disagreement, Disagreements>;
  readonly weakReferences: PagedList<WeakReference, WeakReferences>;
  readonly vocabulary: PagedList<VocabularyWord, Vocabulary>;
  readonly notes: PagedList<NotesItem, NotesSearch>;
  private reportSeq = 0;

  constructor(private readonly client: ApiClient) {
    const suggest = () => (this.suggestRunId === null ? {} : { runId: this.suggestRunId });
    this.disagreements = new PagedList((offset, limit) => client.call('audit:disagreements', { ...suggest(), offset, limit }));
    this.weakReferences = new PagedList((offset, limit) =>
      client.call('audit:weak-references', { ...(this.auditRunId === null ? {} : { runId: this.auditRunId }), offset, limit }),
    );
    this.vocabulary = new PagedList((offset, limit) =>
      client.call('audit:vocabulary', { ...suggest(), side: this.side, ...(this.wordSearch.trim() ? { search: this.wordSearch.trim() } : {}), offset, limit }),
    );
    this.notes = new PagedList((offset, limit) =>
      client.call('notes:search', { ...(this.noteQuery.trim() ? { query: this.noteQuery.trim() } : {}), ...(this.noteTag ? { tag: this.noteTag } : {}), offset, limit }),
    );
  }

  /** Reads the runs and shows the current tab (entering the view). */
  async open(): Promise<void> {
    this.runsError = null;
    const runs = await this.client.call('runs:list', {}).catch((e: unknown) => {
      this.runsError = toErrorShape(e);
      return [] as Run[];
    });
    const finished = runs.filter((r) => r.done > 0).reverse();
    this.suggestRuns = finished.filter((r) => r.kind === 'suggest');
    this.auditRuns = finished.filter((r) => r.kind === 'reference-audit');
    await this.show(this.tab);
  }

  async show(tab: AuditTab): Promise<void> {
    this.tab = tab;
    switch (tab) {
      case 'disagreements':
        return this.disagreements.load(this.disagreements.offset);
      case 'weak-references':
        return this.weakReferences.load(this.weakReferences.offset);
      case 'vocabulary':
        return this.vocabulary.load(this.vocabulary.offset);
      case 'figures':
        return this.loadReport();
      case 'notes':
        await Promise.all([this.notes.load(this.notes.offset), this.loadTags()]);
    }
  }

  setSuggestRun(runId: number | null): Promise<void> {
    this.suggestRunId = runId;
    this.disagreements.clear();
    this.vocabulary.clear();
    this.report = null;
    this.reportCancelled = false;
    return this.show(this.tab);
  }

  setAuditRun(runId: number | null): Promise<void> {
    this.auditRunId = runId;
    return this.weakReferences.load(0);
  }

  setSide(side: VocabularySide): Promise<void> {
    this.side = side;
    return this.vocabulary.load(0);
  }

  searchWords(text: string): Promise<void> {
    this.wordSearch = text;
    return this.vocabulary.load(0);
  }

  searchNotes(query: string, tag: string | null = this.noteTag): Promise<void> {
    this.noteQuery = query;
    this.noteTag = tag;
    return this.notes.load(0);
  }

  async loadTags(): Promise<void> {
    try {
      this.tags = await this.client.call('notes:tags', {});
      this.tagsError = null;
    } catch (e) {
      this.tagsError = toErrorShape(e);
    }
  }

  /** Stops the report being computed (a large run takes a while); the figures can be asked for again. */
  async cancelReport(): Promise<void> {
    try {
      const runId = this.suggestRunId ?? this.suggestRuns[0]?.id;
      await this.client.call('eval:cancel', runId === undefined ? {} : { runId });
    } catch (e) {
      this.reportError = toErrorShape(e);
    }
  }

  /** The evaluation report of the chosen suggest run (the newest when none is chosen). */
  async loadReport(force = false): Promise<void> {
    const runId = this.suggestRunId ?? this.suggestRuns[0]?.id;
    if (runId === undefined || this.report?.runId === runId || (this.reportCancelled && !force)) return;
    const seq = ++this.reportSeq;
    this.reportLoading = true;
    this.reportError = null;
    this.reportCancelled = false;
    try {
      const report = await this.client.call('eval:report', { runId });
      if (seq === this.reportSeq) this.report = report;
    } catch (e) {
      if (seq !== this.reportSeq) return;
      const error = toErrorShape(e);
      if (error.code === 'CANCELLED') this.reportCancelled = true;
      else this.reportError = error;
    } finally {
      if (seq === this.reportSeq) this.reportLoading = false;
    }
  }

  /** Forgets everything, for a newly opened project. */
  reset(): void {
    this.tab = 'disagreements';
    this.suggestRuns = [];
    this.auditRuns = [];
    this.suggestRunId = null;
    this.auditRunId = null;
    this.noteQuery = '';
    this.noteTag = null;
    this.tags = [];
    this.report = null;
    this.reportCancelled = false;
    this.reportSeq++;
    for (const list of [this.disagreements, this.weakReferences, this.vocabulary, this.notes]) list.clear();
  }
}

export const AUDIT_STATE = new InjectionToken<AuditState>('AuditState');
