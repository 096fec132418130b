import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { denyPermissions, guardWebContents, windowOptions, type GuardedContents, type GuardedSession } from '../../electron/window-options.js';

describe('windowOptions', () => {
  it('locks the renderer down', () => {
    const options = windowOptions('/app/dist/electron/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
  });
});

/** A web contents stand-in: a real EventEmitter that records the window-open handler. */
function contents(): GuardedContents & { emitter: EventEmitter; openHandler?: (details: unknown) => unknown } {
  const emitter = new EventEmitter();
  const result = {
    emitter,
    openHandler: undefined as ((details: unknown) => unknown) | undefined,
    on: (name: string, listener: (...args: unknown[]) => void) => {
      emitter.on(name, listener);
      return result;
    },
    setWindowOpenHandler: (handler: (details: unknown) => unknown) => {
      result.openHandler = handler;
    },
  };
  return result as unknown as GuardedContents & { emitter: EventEmitter; openHandler?: (details: unknown) => unknown };
}

function emitPrevented(target: EventEmitter, name: string, url?: string): boolean {
  let prevented = false;
  target.emit(name, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('guardWebContents', () => {
  it.each([
    ['app://longview/index.html', false],
    ['app://longview/other.html#x', false],
    ['file:///etc/passwd', true],
    ['https://example.com/', true],
    ['app://elsewhere/index.html', true],
    ['longview-media://video/abc', true],
  ])('navigating to %s is prevented: %s', (url, prevented) => {
    const target = contents();
    guardWebContents(target);
    expect(emitPrevented(target.emitter, 'will-navigate', url)).toBe(prevented);
    expect(emitPrevented(target.emitter, 'will-redirect', url)).toBe(prevented);
  });

  it('denies every new window and every webview', () => {
    const target = contents();
    guardWebContents(target);
    expect(target.openHandler?.({ url: 'app://longview/index.html' })).toEqual({ action: 'deny' });
    expect(target.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(emitPrevented(target.emitter, 'will-attach-webview')).toBe(true);
  });
});

describe('denyPermissions', () => {
  it('answers no to every request and every check', () => {
    let requestHandler: ((...args: unknown[]) => void) | null = null;
    let checkHandler: ((...args: unknown[]) => boolean) | null = null;
    const session = {
      setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => (requestHandler = handler),
      setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => (checkHandler = handler),
    } as unknown as GuardedSession;
    denyPermissions(session);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'fileSystem']) {
      let granted: boolean | undefined;
      requestHandler!({}, permission, (answer: boolean) => (granted = answer), {});
      expect(granted).toBe(false);
      expect(checkHandler!({}, permission, 'app://longview', {})).toBe(false);
    }
  });
});
