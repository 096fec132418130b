/**
 * The analysis panel's window fields as typed text → the overrides `startAnalysis` takes. Empty
 * means "the model's preset". Pure; the engine checks the same limits again (src/analysis/sampling.ts).
 */
export interface WindowFields {
  windowFrames: string;
  frameStride: string;
  windowStrideSeconds: string;
}

export interface WindowOverrides {
  windowFrames?: number | undefined;
  frameStride?: number | undefined;
  windowStrideSeconds?: number | undefined;
}

export const PRESET_FIELDS: WindowFields = { windowFrames: '', frameStride: '', windowStrideSeconds: '' };

export type WindowProblems = Partial<Record<keyof WindowFields, string>>;

function wholeNumber(text: string, max: number): number | null | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= 1 && value <= max ? value : null;
}

export function parseWindowFields(fields: WindowFields): { overrides: WindowOverrides; problems: WindowProblems } {
  const problems: WindowProblems = {};
  const overrides: WindowOverrides = {};
  const frames = wholeNumber(fields.windowFrames, 384);
  if (frames === null) problems.windowFrames = 'a whole number from 1 to 384';
  else if (frames !== undefined) overrides.windowFrames = frames;
  const stride = wholeNumber(fields.frameStride, 1000);
  if (stride === null) problems.frameStride = 'a whole number from 1 to 1000';
  else if (stride !== undefined) overrides.frameStride = stride;
  if (fields.windowStrideSeconds.trim() !== '') {
    const seconds = Number(fields.windowStrideSeconds);
    if (Number.isFinite(seconds) && seconds > 0 && seconds <= 3600) overrides.windowStrideSeconds = seconds;
    else problems.windowStrideSeconds = 'seconds, more than 0 and at most 3600';
  }
  return { overrides, problems };
}
