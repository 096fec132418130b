/**
 * Plain types of the model catalog, local models and Hub downloads, shared by the engine, the
 * command line and the app.
 */

/** How a checkpoint wants to be fed: its training clip. */
export interface InputPreset {
  /** Frames per clip (config num_frames). */
  frames: number;
  /** Take every frameStride-th frame of the video resampled to 30 fps. */
  frameStride: number;
  /** Square input side, pixels. */
  imageSize: number;
}

/** One released checkpoint Longview knows by name (resources/models/catalog.json). */
export interface CatalogEntry {
  /** Stable id: the Hub repo ("facebook/timesformer-base-finetuned-k400") or the official file name. */
  id: string;
  /** 'hub': `longview models pull <id>` downloads it. 'file': the user brings the file; it is recognised by name. */
  source: 'hub' | 'file';
  title: string;
  preset: InputPreset;
  /** Kinetics-400, Kinetics-600, Something-Something-v2, HowTo100M. */
  labelSet: string;
  /** Classes the head has. */
  classes: number;
  license: string;
  /** Bytes of the weights to download (safetensors where the repo has them), when known. */
  downloadBytes: number | null;
  /** Hub only: the revision that has safetensors when `main` has only pytorch_model.bin (e.g. "refs/pr/5"). */
  safetensorsRevision?: string | undefined;
  /** 'file' only: file names that identify it (e.g. "TimeSformer_divST_8x32_224_K400.pyth"). */
  fileNames?: string[] | undefined;
  /** Plain words the user should know (e.g. "task names were never published: pass --labels"). */
  notes?: string[] | undefined;
}

/** A model on this machine, wherever it lives. */
export interface LocalModel {
  /** What to pass to --model: a Hub id for HF-cache models, else the path. */
  reference: string;
  path: string;
  /** 'hf-cache': a snapshot in the Hugging Face cache; 'app': Longview's own models folder; 'added': registered with `models add`. */
  location: 'hf-cache' | 'app' | 'added';
  /** The catalog entry it matches, if any. */
  catalogId: string | null;
  sizeBytes: number;
  license: string;
  preset: InputPreset | null;
  classes: number | null;
  /** Set when the model cannot be opened (moved, damaged): listed, not hidden. */
  problem: string | null;
}

/** What a running download reports. */
export type PullEvent =
  | { type: 'resolved'; repository: string; revision: string; commit: string; files: { name: string; sizeBytes: number }[]; totalBytes: number }
  | { type: 'file'; name: string; sizeBytes: number; resumedFromBytes: number; cached: boolean }
  | { type: 'progress'; name: string; receivedBytes: number; totalBytes: number; fileReceivedBytes: number; fileBytes: number }
  | { type: 'verified'; name: string; sha256: string | null }
  | { type: 'done'; path: string; downloadedBytes: number };
