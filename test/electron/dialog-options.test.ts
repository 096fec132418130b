import { describe, expect, it } from 'vitest';
import { openVideoDialogOptions, saveExportDialogOptions, VIDEO_EXTENSIONS } from '../../electron/dialog-options.js';

describe('dialog options', () => {
  it('opens one file with a video filter first and an all-files escape', () => {
    const options = openVideoDialogOptions();
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters?.[0]).toEqual({ name: 'Videos', extensions: [...VIDEO_EXTENSIONS] });
    expect(options.filters?.[1]).toEqual({ name: 'All Files', extensions: ['*'] });
    expect(VIDEO_EXTENSIONS).toEqual(expect.arrayContaining(['mp4', 'mkv', 'webm', 'mov']));
  });

  it.each([
    ['talk.json', 'json'],
    ['talk.csv', 'csv'],
    ['talk.vtt', 'vtt'],
    ['talk.srt', 'srt'],
    ['talk.eaf', 'eaf'],
  ])('saves %s with a %s filter in the chosen folder', (fileName, extension) => {
    const options = saveExportDialogOptions(fileName, '/home/me/Documents');
    expect(options.defaultPath).toBe(`/home/me/Documents/${fileName}`);
    expect(options.filters).toHaveLength(1);
    expect(options.filters?.[0]?.extensions).toEqual([extension]);
    expect(options.properties).toContain('showOverwriteConfirmation');
  });

  it('falls back to all files for an unknown extension', () => {
    expect(saveExportDialogOptions('talk.bin', '/tmp').filters).toEqual([{ name: 'All Files', extensions: ['*'] }]);
  });
});
