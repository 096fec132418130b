/**
 * The host's native dialogs (`chooseVideo`, `chooseSavePath`), attached to our window so they are
 * modal to it. Electron is passed in, never imported, so this module loads without it.
 */
import type { BrowserWindow, Dialog } from 'electron';
import { openVideoDialogOptions, saveExportDialogOptions } from './dialog-options.js';

export interface HostDialogs {
  chooseVideo(): Promise<string | null>;
  chooseSavePath(fileName: string): Promise<string | null>;
}

export interface DialogContext {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  window(): BrowserWindow | undefined;
  /** Where the save dialog opens, e.g. app.getPath('documents'). */
  exportFolder(): string;
}

export function hostDialogs(context: DialogContext): HostDialogs {
  return {
    async chooseVideo() {
      const window = context.window();
      const options = openVideoDialogOptions();
      const result = window === undefined ? await context.dialog.showOpenDialog(options) : await context.dialog.showOpenDialog(window, options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseSavePath(fileName) {
      const window = context.window();
      const options = saveExportDialogOptions(fileName, context.exportFolder());
      const result = window === undefined ? await context.dialog.showSaveDialog(options) : await context.dialog.showSaveDialog(window, options);
      return result.canceled || result.filePath === undefined || result.filePath === '' ? null : result.filePath;
    },
  };
}
