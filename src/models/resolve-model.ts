/**
 * What `--model` names: a path on disk, or a Hub id ("org/name[@revision]") already in the
 * Hugging Face cache. Never touches the network: downloading is `longview models pull`'s job.
 */
import { existsSync } from 'node:fs';
import { ModelError } from '../shared/errors.js';
import { withSafetensorsRevision } from './catalog.js';
import type { HubSettings } from './hub/hub-settings.js';
import { resolveCachedModel } from './hub/pull.js';

/** "org/name" or "org/name@revision", and nothing that could be a relative path. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(@[\w./-]+)?$/;

export function resolveModelPath(value: string, settings: HubSettings): string {
  if (existsSync(value) || !HUB_ID.test(value)) return value;
  // As typed first; then where `longview models pull` puts a catalog model whose main has no safetensors.
  const candidates = new Set([value, withSafetensorsRevision(value)]);
  for (const candidate of candidates) {
    const snapshot = resolveCachedModel(candidate, settings);
    if (snapshot !== undefined) return snapshot;
  }
  throw new ModelError('not-downloaded', `${value} is neither a file nor a downloaded model; download it with \`longview models pull ${value}\`, or give the path to a model folder or file`);
}
