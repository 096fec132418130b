/**
 * What the native open and save dialogs show. Pure: dialogs.ts passes these to Electron's dialog.
 * The extension list is a convenience filter, not a check: the engine probes every file anyway.
 */
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { extname, join } from 'node:path';

export const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'ogv', 'mpg', 'mpeg', 'ts', 'mts', 'm2ts', 'wmv', 'flv', '3gp'] as const;

export function openVideoDialogOptions(defaultPath?: string): OpenDialogOptions {
  return {
    title: 'Open Video',
    properties: ['openFile'],
    filters: [
      { name: 'Videos', extensions: [...VIDEO_EXTENSIONS] },
      { name: 'All Files', extensions: ['*'] },
    ],
    ...(defaultPath === undefined ? {} : { defaultPath }),
  };
}

/** Export file extensions → the filter name the save dialog shows. */
const EXPORT_FILTERS: Readonly<Record<string, string>> = {
  json: 'Longview analysis (JSON)',
  csv: 'Comma-separated values',
  vtt: 'WebVTT subtitles',
  srt: 'SubRip subtitles',
  eaf: 'ELAN annotation',
};

/** `defaultPath` is the folder the dialog opens in (e.g. the video's folder or Documents). */
export function saveExportDialogOptions(fileName: string, folder: string): SaveDialogOptions {
  const extension = extname(fileName).slice(1).toLowerCase();
  const filterName = EXPORT_FILTERS[extension];
  return {
    title: 'Export Segments',
    defaultPath: join(folder, fileName),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
    filters: filterName === undefined ? [{ name: 'All Files', extensions: ['*'] }] : [{ name: filterName, extensions: [extension] }],
  };
}
