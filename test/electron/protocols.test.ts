/** The two scheme handlers with real files, real Requests and the real VideoAccess. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVideoAccess } from '../../src/service/video-access.js';
import { mediaUrl } from '../../electron/app-origin.js';
import { APP_POLICY, appProtocolResponse, mediaProtocolResponse, rawPathname } from '../../electron/protocols.js';

const root = mkdtempSync(join(tmpdir(), 'longview-protocols-'));
const renderer = join(root, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Longview</title>');
writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1);');
writeFileSync(join(root, 'secret.txt'), 'not for the renderer');
const video = join(root, 'clip.mp4');
const videoBytes = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251));
writeFileSync(video, videoBytes);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app: protocol', () => {
  it('serves index.html with a CSP that allows longview-media: for media and nothing unsafe', async () => {
    const response = await appProtocolResponse(new Request('app://longview/index.html'), renderer);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Longview</title>');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/media-src 'self' longview-media:(;|$)/);
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/unsafe/i);
    expect(APP_POLICY.media).toEqual(['longview-media:']);
  });

  it('serves the built assets', async () => {
    const response = await appProtocolResponse(new Request('app://longview/assets/app.js'), renderer);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });

  it.each(['app://other/index.html', 'app://longview:1/index.html'])('answers 404 for %s', async (url) => {
    expect((await appProtocolResponse(new Request(url), renderer)).status).toBe(404);
  });

  it.each(['app://longview/../secret.txt', 'app://longview/assets/%2e%2e/%2e%2e/secret.txt', 'app://longview/%2e%2e%2fsecret.txt'])('never serves outside the root: %s', async (url) => {
    const response = await appProtocolResponse(new Request(url), renderer);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('not for the renderer');
  });
});

describe('rawPathname', () => {
  it.each([
    ['app://longview/index.html', '/index.html'],
    ['app://longview/a/../b?x=1#y', '/a/../b'],
    ['app://longview', '/'],
    ['app://longview/%2e%2e/x', '/%2e%2e/x'],
  ])('%s → %s', (url, path) => {
    expect(rawPathname(url)).toBe(path);
  });
});

describe('longview-media: protocol', () => {
  it('streams a granted video, with ranges', async () => {
    const access = createVideoAccess();
    const videoId = await access.grant(video);
    const whole = await mediaProtocolResponse(new Request(mediaUrl(videoId)), access);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(videoBytes);
    const part = await mediaProtocolResponse(new Request(mediaUrl(videoId), { headers: { Range: 'bytes=10-19' } }), access);
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(videoBytes.subarray(10, 20));
  });

  it('refuses unknown ids and malformed URLs', async () => {
    const access = createVideoAccess();
    expect((await mediaProtocolResponse(new Request(mediaUrl('never-granted-id')), access)).status).toBe(404);
    expect((await mediaProtocolResponse(new Request('longview-media://elsewhere/abc'), access)).status).toBe(404);
    expect((await mediaProtocolResponse(new Request('longview-media://video/a/b'), access)).status).toBe(404);
  });
});
