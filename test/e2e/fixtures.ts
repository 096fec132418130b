/**
 * Test helper (not a test): what an end-to-end run needs on disk: a temporary workspace (data
 * folder, analysis cache, an empty Hugging Face home), videos, and models placed where the app's
 * model picker finds them (`<LONGVIEW_CACHE_DIR>/models/<name>/`, src/models/local-models.ts).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoModelAvailable, demoModelPath } from '../../src/models/demo-model.js';
import { generateVideo } from '../../src/synthetic/generate-video.js';
import { temporaryFolder } from '../video/test-files.js';

/** The random-weight golden fixture: 5 classes, 4 frames of 32 px; fast and always present. */
export const FIXTURE_MODEL = fileURLToPath(new URL('../fixtures/timesformer/divided-tiny', import.meta.url));

export interface Workspace {
  root: string;
  dataDirectory: string;
  cacheDirectory: string;
  huggingFaceHome: string;
  remove(): void;
}

export function makeWorkspace(prefix: string): Workspace {
  const folder = temporaryFolder(prefix);
  const paths = { dataDirectory: join(folder.path, 'data'), cacheDirectory: join(folder.path, 'cache'), huggingFaceHome: join(folder.path, 'huggingface') };
  for (const path of Object.values(paths)) mkdirSync(path, { recursive: true });
  return { root: folder.path, ...paths, remove: folder.remove };
}

/** A synthetic recording of the demo's activities (src/synthetic), so a trained model finds segments in it. */
export async function makeSyntheticVideo(folder: string, name: string, seconds: number, seed: number): Promise<string> {
  const generated = await generateVideo({ path: join(folder, `${name}.mp4`), seed, durationSeconds: seconds });
  return generated.path;
}

/**
 * The model the main flow runs: the demo model (the app's default) when it is installed, else the
 * fixture copied into the picker's folder. `title` is how the picker names it.
 */
export function mainFlowModel(workspace: Workspace): { path: string; title: string; isDefault: boolean } {
  if (demoModelAvailable()) return { path: demoModelPath(), title: 'Longview demo model (default)', isDefault: true };
  return { path: installFixtureModel(workspace, 'divided-tiny'), title: 'divided-tiny', isDefault: false };
}

/**
 * Copies the fixture's config and safetensors weights to `<cache>/models/<name>/`; `labels`, when
 * given, replace the class names (id2label and label2id), one per class. Returns the model folder.
 */
export function installFixtureModel(workspace: Workspace, name: string, labels?: readonly string[]): string {
  const folder = join(workspace.cacheDirectory, 'models', name);
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(FIXTURE_MODEL, 'model.safetensors'), join(folder, 'model.safetensors'));
  const config = JSON.parse(readFileSync(join(FIXTURE_MODEL, 'config.json'), 'utf8')) as { id2label: Record<string, string>; label2id: Record<string, number> };
  if (labels !== undefined) {
    const count = Object.keys(config.id2label).length;
    if (labels.length !== count) throw new Error(`installFixtureModel: the fixture has ${count} classes, ${labels.length} labels given`);
    config.id2label = Object.fromEntries(labels.map((label, index) => [String(index), label]));
    config.label2id = Object.fromEntries(labels.map((label, index) => [label, index]));
  }
  writeFileSync(join(folder, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return folder;
}
