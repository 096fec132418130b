import { describe, expect, it } from 'vitest';
import { videoPathsFromArgv } from '../../electron/command-line.js';

describe('videoPathsFromArgv', () => {
  it.each<[string, string[], boolean, string[]]>([
    ['electron . video.mp4', ['/usr/lib/electron', '.', 'video.mp4'], true, ['/home/me/video.mp4']],
    ['electron . (nothing)', ['/usr/lib/electron', '.'], true, []],
    ['packaged app', ['/opt/Longview/longview', 'a.mp4', '/abs/b.mkv'], false, ['/home/me/a.mp4', '/abs/b.mkv']],
    ['Chromium switches are skipped', ['/opt/longview', '--no-sandbox', '--original-process-start-time=1', 'a.mp4'], false, ['/home/me/a.mp4']],
    ['macOS process serial number', ['/Applications/Longview.app/Contents/MacOS/Longview', '-psn_0_12345'], false, []],
    ['after -- a dash is a file name', ['/opt/longview', '--', '-odd.mp4'], false, ['/home/me/-odd.mp4']],
    ['dev: options before the app folder', ['/usr/lib/electron', '--inspect', '.', 'v.mp4'], true, ['/home/me/v.mp4']],
    ['file:// URL from a desktop file', ['/opt/longview', 'file:///videos/a%20b.mp4'], false, ['/videos/a b.mp4']],
    ['other URLs are ignored', ['/opt/longview', 'https://example.com/v.mp4', 'longview-media://video/x'], false, []],
    ['empty argument', ['/opt/longview', ''], false, []],
    ['relative with ..', ['/opt/longview', '../shared/v.mp4'], false, ['/home/shared/v.mp4']],
  ])('%s', (_name, argv, defaultApp, expected) => {
    expect(videoPathsFromArgv(argv, { defaultApp, workingDirectory: '/home/me' })).toEqual(expected);
  });
});
