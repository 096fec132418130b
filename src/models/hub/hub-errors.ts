/**
 * Hub failures turned into LongviewErrors a user can act on.
 *
 * Kinds, and why: a model, revision or file the Hub does not have, or will not give us (gated,
 * private), is 'model' (exit 4): the user must pick another model or get access. A Hub that cannot
 * be reached or is failing (network, DNS, proxy, 5xx, 429) is 'backend' with reason 'network' or
 * 'hub-unavailable' (exit 5, "unavailable"): nothing the user typed is wrong and the same command
 * may work later or offline. A cancel is 'usage'/'cancelled', as everywhere in Longview.
 *
 * Pure.
 */
import { LongviewError } from '../../shared/errors.js';

/** What was asked for, so a message can say which of repository, revision or file is missing. */
export interface HubRequestSubject {
  endpoint: string;
  repository: string;
  revision: string;
  /** Set for a file request; absent for the repository listing. */
  file?: string | undefined;
  /** Whether a token was sent (a refusal then means the token lacks access). */
  sentToken: boolean;
}

const NETWORK_ADVICE = 'check your network or proxy settings (HTTPS_PROXY), or use a model already on disk (HF_HUB_OFFLINE=1)';

function subjectText(subject: HubRequestSubject): string {
  const at = `${subject.repository}@${subject.revision}`;
  return subject.file === undefined ? at : `${subject.file} of ${at}`;
}

/**
 * An HTTP status (and the Hub's X-Error-Code header: RepoNotFound, RevisionNotFound,
 * EntryNotFound, GatedRepo) → the error. The Hub answers 401 rather than 404 for a repository
 * that does not exist when no token is sent, so X-Error-Code decides first.
 */
export function hubHttpError(status: number, errorCode: string | null, subject: HubRequestSubject): LongviewError {
  const host = new URL(subject.endpoint).host;
  if (errorCode === 'RevisionNotFound') {
    return new LongviewError('model', 'hub-revision-not-found', `Revision "${subject.revision}" does not exist in ${subject.repository} on ${host}; check the name after '@' (a branch, a commit or refs/pr/N).`);
  }
  if (errorCode === 'EntryNotFound') {
    return new LongviewError('model', 'hub-file-not-found', `${subject.repository}@${subject.revision} has no file ${subject.file ?? ''} on ${host}; the repository may not be a TimeSformer model.`);
  }
  if (errorCode === 'RepoNotFound' || (status === 404 && subject.file === undefined)) {
    const login = subject.sentToken ? 'your token cannot see it either' : 'if it is private, log in with HF_TOKEN';
    return new LongviewError('model', 'hub-repository-not-found', `${subject.repository} was not found on ${host}; check the model id (${login}).`);
  }
  if (errorCode === 'GatedRepo' || status === 401 || status === 403) {
    const advice = subject.sentToken
      ? 'your token was refused: accept the model\'s terms on its Hub page and check that HF_TOKEN has read access'
      : 'it is gated or private: accept its terms on its Hub page and log in with HF_TOKEN';
    return new LongviewError('model', 'hub-access-denied', `The Hub refused access to ${subjectText(subject)} (HTTP ${status}); ${advice}.`);
  }
  if (status === 404) {
    return new LongviewError('model', 'hub-file-not-found', `${subjectText(subject)} was not found on ${host} (HTTP 404).`);
  }
  if (status === 429 || status >= 500) {
    return new LongviewError('backend', 'hub-unavailable', `${host} answered HTTP ${status} for ${subjectText(subject)}; the Hub is busy or failing, try again later or use a model already on disk (HF_HUB_OFFLINE=1).`);
  }
  return new LongviewError('backend', 'hub-unexpected', `${host} answered HTTP ${status} for ${subjectText(subject)}, which Longview did not expect; try again later or ${NETWORK_ADVICE}.`);
}

/** The system or undici code inside a fetch failure (`TypeError: fetch failed` with a cause). */
export function networkErrorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return 'network error';
}

export function hubNetworkError(endpoint: string, error: unknown): LongviewError {
  const code = networkErrorCode(error);
  return new LongviewError('backend', 'network', `Cannot reach ${endpoint} (${code}); ${NETWORK_ADVICE}.`, { cause: error });
}

/** A body that stopped short or a malformed answer: worth a retry (the download resumes). */
export function hubTransferError(url: string, error: unknown): LongviewError {
  const code = networkErrorCode(error);
  return new LongviewError('backend', 'network', `The download from ${new URL(url).host} broke off (${code}); run the same command again to resume, or ${NETWORK_ADVICE}.`, { cause: error });
}
