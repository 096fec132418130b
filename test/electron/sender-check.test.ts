import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl, mediaUrl, mediaVideoId } from '../../electron/app-origin.js';
import { checkSender, type SenderFacts } from '../../electron/sender-check.js';

const WINDOW = 7;
const trusted: SenderFacts = { webContentsId: WINDOW, trustedWebContentsId: WINDOW, frameUrl: APP_ENTRY_URL, isMainFrame: true };

describe('isAppUrl', () => {
  it.each([
    ['app://longview/index.html', true],
    ['app://longview/', true],
    ['app://longview/assets/index-1.js?x=1#y', true],
    // Chromium canonicalizes a standard scheme's URL to lower case, so an app page never reports this; refused.
    ['APP://LONGVIEW/index.html', false],
    ['app://longview.evil/index.html', false],
    ['app://evil/index.html', false],
    ['app://longview:8080/index.html', false],
    ['app://user@longview/index.html', false],
    ['app://longview@evil/index.html', false],
    ['file:///work/main/dist/renderer/index.html', false],
    ['http://longview/index.html', false],
    ['https://127.0.0.1/', false],
    ['longview-media://video/abc', false],
    ['about:blank', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('checkSender', () => {
  it.each<[string, Partial<SenderFacts>, boolean]>([
    ['our window, main frame, app page', {}, true],
    ['another window', { webContentsId: 8 }, false],
    ['before our window exists', { trustedWebContentsId: undefined }, false],
    ['a subframe of our window', { isMainFrame: false }, false],
    ['a destroyed frame', { frameUrl: undefined }, false],
    ['a file:// page', { frameUrl: 'file:///tmp/evil.html' }, false],
    ['an http:// page', { frameUrl: 'http://localhost:5173/' }, false],
    ['an https:// page', { frameUrl: 'https://example.com/' }, false],
    ['another app:// host', { frameUrl: 'app://other/index.html' }, false],
    ['a lookalike app host', { frameUrl: 'app://longview.example.com/index.html' }, false],
    ['about:blank in our window', { frameUrl: 'about:blank' }, false],
    ['a data: page', { frameUrl: 'data:text/html,<script></script>' }, false],
  ])('%s → trusted %s', (_name, change, expected) => {
    expect(checkSender({ ...trusted, ...change }).trusted).toBe(expected);
  });

  it('says why it refused', () => {
    expect(checkSender({ ...trusted, isMainFrame: false })).toEqual({ trusted: false, why: 'a subframe' });
  });
});

describe('media URLs', () => {
  it('round-trip a video id', () => {
    expect(mediaUrl('Ab_-9')).toBe('longview-media://video/Ab_-9');
    expect(mediaVideoId(mediaUrl('Ab_-9'))).toBe('Ab_-9');
  });

  it.each(['longview-media://other/abc', 'longview-media://video/', 'longview-media://video/a/b', 'app://video/abc', 'longview-media://video:1/abc', 'nonsense'])(
    'refuses %s',
    (url) => {
      expect(mediaVideoId(url)).toBeUndefined();
    },
  );
});
