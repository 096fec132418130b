/**
 * The analysis jobs an engine process is running, followed from the traffic alone: a
 * `startAnalysis` response opens one, a completed/failed/cancelled update closes it. When the
 * process dies, each job still open gets a final 'failed' update, so no progress bar waits forever.
 */
import type { AnalysisUpdate, ApiError, EventName } from '../src/shared/api.js';

export class OpenJobs {
  readonly #jobs = new Set<string>();
  /** Jobs that already ended, so a response that arrives after the job's last update does not reopen it. */
  readonly #ended = new Set<string>();

  noteResponse(method: string, response: unknown): void {
    if (method !== 'startAnalysis' || response === null || typeof response !== 'object') return;
    const jobId = (response as { jobId?: unknown }).jobId;
    if (typeof jobId === 'string' && !this.#ended.has(jobId)) this.#jobs.add(jobId);
  }

  noteEvent(event: EventName, payload: unknown): void {
    if (event !== 'analysisUpdate' || payload === null || typeof payload !== 'object') return;
    const update = payload as { jobId?: unknown; type?: unknown };
    if (typeof update.jobId !== 'string') return;
    // An update can arrive before the startAnalysis response; 'started' opens the job as well.
    if (update.type === 'started') this.#jobs.add(update.jobId);
    if (update.type === 'completed' || update.type === 'failed' || update.type === 'cancelled') {
      this.#jobs.delete(update.jobId);
      this.#ended.add(update.jobId);
    }
  }

  /** One 'failed' update per open job, and forgets them. */
  fail(error: ApiError): AnalysisUpdate[] {
    const updates = [...this.#jobs].map((jobId): AnalysisUpdate => ({ jobId, type: 'failed', error }));
    for (const jobId of this.#jobs) this.#ended.add(jobId);
    this.#jobs.clear();
    return updates;
  }
}
