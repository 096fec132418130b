import type { BrowserWindow, Dialog } from 'electron';
import { describe, expect, it } from 'vitest';
import { hostDialogs } from '../../electron/dialogs.js';

type Answer = { canceled: boolean; filePaths?: string[]; filePath?: string };

/** A dialog that answers as scripted and records whether it was attached to a window. */
function scripted(answer: Answer): { dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>; calls: { attached: boolean; options: unknown }[] } {
  const calls: { attached: boolean; options: unknown }[] = [];
  const record = async (...args: unknown[]): Promise<Answer> => {
    calls.push({ attached: args.length === 2, options: args.at(-1) });
    return answer;
  };
  return { calls, dialog: { showOpenDialog: record, showSaveDialog: record } as unknown as Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'> };
}

const someWindow = {} as BrowserWindow;

describe('hostDialogs', () => {
  it.each<[string, Answer, string | null]>([
    ['a chosen file', { canceled: false, filePaths: ['/videos/a.mp4'] }, '/videos/a.mp4'],
    ['cancel', { canceled: true, filePaths: [] }, null],
    ['no file at all', { canceled: false, filePaths: [] }, null],
  ])('chooseVideo: %s', async (_name, answer, expected) => {
    const { dialog, calls } = scripted(answer);
    await expect(hostDialogs({ dialog, window: () => someWindow, exportFolder: () => '/docs' }).chooseVideo()).resolves.toBe(expected);
    expect(calls[0]?.attached).toBe(true);
  });

  it.each<[string, Answer, string | null]>([
    ['a chosen path', { canceled: false, filePath: '/docs/talk.csv' }, '/docs/talk.csv'],
    ['cancel', { canceled: true, filePath: '' }, null],
    ['an empty path', { canceled: false, filePath: '' }, null],
  ])('chooseSavePath: %s', async (_name, answer, expected) => {
    const { dialog, calls } = scripted(answer);
    await expect(hostDialogs({ dialog, window: () => undefined, exportFolder: () => '/docs' }).chooseSavePath('talk.csv')).resolves.toBe(expected);
    expect(calls[0]).toMatchObject({ attached: false, options: { defaultPath: '/docs/talk.csv' } });
  });
});
