import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, staticResponse, staticSegments } from '../../src/service/static-response.js';
import { temporaryFolder } from '../video/test-files.js';

describe('staticSegments', () => {
  it.each([
    ['/', ['index.html']],
    ['/index.html', ['index.html']],
    ['/assets/app-1234.js', ['assets', 'app-1234.js']],
    ['/assets/', ['assets', 'index.html']],
    ['/a%20b.css', ['a b.css']],
  ])('%s → %j', (path, segments) => {
    expect(staticSegments(path)).toEqual(segments);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%2fsecret.txt',
    '/assets%2F..%2F..%2Fsecret.txt',
    '/..\\secret.txt',
    '/assets\\..\\..\\secret.txt',
    '/%5c..%5csecret.txt',
    '//etc/passwd',
    'etc/passwd',
    '/C:/Windows/win.ini',
    '/index.html%00.js',
    '/index.html\0',
    '/%E0%A4%A',
    '/./index.html',
    '/a//b',
  ])('refuses %j', (path) => {
    expect(staticSegments(path)).toBeUndefined();
  });
});

describe('staticResponse', () => {
  let folder: { path: string; remove: () => void };
  let root: string;
  beforeAll(() => {
    folder = temporaryFolder('longview-static-');
    root = join(folder.path, 'dist', 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Longview</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1);');
    mkdirSync(join(folder.path, 'dist', 'renderer-evil'));
    writeFileSync(join(folder.path, 'dist', 'renderer-evil', 'x.js'), 'evil');
    writeFileSync(join(folder.path, 'secret.txt'), 'secret');
    symlinkSync(join(folder.path, 'secret.txt'), join(root, 'leak.txt'));
    symlinkSync(join(folder.path, 'dist', 'renderer-evil'), join(root, 'evil'));
  });
  afterAll(() => folder.remove());

  const get = (path: string, rawPathname?: string, method = 'GET'): Promise<Response> =>
    staticResponse(new Request(`http://127.0.0.1:1${path}`, { method }), { root, ...(rawPathname === undefined ? {} : { rawPathname }) });

  it('serves index.html for / and files with their types and security headers', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Longview</title>');
    const script = await get('/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1);');
    for (const response of [index, script]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    }
    expect((await get('/', undefined, 'HEAD')).body).toBeNull();
  });

  it.each([
    ['/../secret.txt', '/../secret.txt'],
    ['/%2e%2e/secret.txt', '/%2e%2e/secret.txt'],
    ['/..%2Fsecret.txt', '/..%2Fsecret.txt'],
    ['/../renderer-evil/x.js', '/../renderer-evil/x.js'],
    ['/leak.txt', undefined],
    ['/evil/x.js', undefined],
    ['/missing.js', undefined],
    ['/assets', undefined],
  ])('refuses %s', async (path, raw) => {
    const response = await get(path, raw);
    expect(response.status).toBeGreaterThanOrEqual(400);
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(text).not.toContain('evil');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('/', undefined, 'POST')).status).toBe(405);
  });
});

describe('contentSecurityPolicy', () => {
  it('is strict, has no unsafe sources and takes the caller\'s extra sources', () => {
    const policy = contentSecurityPolicy({ media: ['longview-media:'], connect: ['ws://127.0.0.1:8123'] });
    expect(policy).not.toMatch(/unsafe/);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'"]) {
      expect(policy.split('; ')).toContain(directive);
    }
    expect(policy).toContain("media-src 'self' longview-media:");
    expect(policy).toContain("connect-src 'self' ws://127.0.0.1:8123");
  });

  it.each(["'unsafe-eval'", "'unsafe-inline'", 'a; script-src *', 'two words'])('refuses the source %j', (source) => {
    expect(() => contentSecurityPolicy({ connect: [source] })).toThrow();
  });
});
