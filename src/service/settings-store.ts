/**
 * The user's settings in `<dataFolder>/settings.json`: defaults until the user changes something,
 * checked on every read, replaced atomically on every write.
 */
import { join } from 'node:path';
import type { Settings } from '../shared/api.js';
import { DEFAULT_SEGMENTATION } from '../analysis/segments.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { checkSettings } from './request-validation.js';
import { oneOf, record } from './value-checks.js';

const FORMAT = 'longview-settings';
const VERSION = 1;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  segmentation: { ...DEFAULT_SEGMENTATION },
  // Visible at half strength: the heatmap explains the label without hiding the picture.
  heatmap: { visible: true, opacity: 0.5 },
  model: null,
  backend: 'auto',
});

const checkFile = record({ format: oneOf([FORMAT] as const), version: oneOf([VERSION] as const), settings: checkSettings });

export class SettingsStore {
  readonly path: string;
  #current: Settings | undefined;

  constructor(dataFolder: string) {
    this.path = join(dataFolder, 'settings.json');
  }

  get(): Settings {
    if (this.#current === undefined) {
      const read = readJsonFile(this.path, checkFile);
      this.#current = read.status === 'read' ? read.value.settings : structuredClone(DEFAULT_SETTINGS) as Settings;
    }
    return structuredClone(this.#current);
  }

  /** `settings` must already be validated (checkSettings); returns what is now stored. */
  set(settings: Settings): Settings {
    writeJsonFile(this.path, { format: FORMAT, version: VERSION, settings });
    this.#current = structuredClone(settings);
    return structuredClone(settings);
  }
}
