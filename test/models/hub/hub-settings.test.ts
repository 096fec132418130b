/** hubSettings reads the same variables, with the same defaults, as huggingface_hub. */
import { describe, expect, it } from 'vitest';
import { hubSettings, type Environment } from '../../../src/models/hub/hub-settings.js';
import { LongviewError } from '../../../src/shared/errors.js';

const HOME = '/home/ada';

describe('hubSettings', () => {
  const endpointCases: [string, Environment, string][] = [
    ['default', {}, 'https://huggingface.co'],
    ['HF_ENDPOINT', { HF_ENDPOINT: 'https://hf-mirror.example.org' }, 'https://hf-mirror.example.org'],
    ['trailing slashes removed', { HF_ENDPOINT: 'http://127.0.0.1:8080//' }, 'http://127.0.0.1:8080'],
    ['empty means default', { HF_ENDPOINT: '' }, 'https://huggingface.co'],
  ];
  it.each(endpointCases)('endpoint: %s', (_name, env, expected) => {
    expect(hubSettings(env, HOME, () => undefined).endpoint).toBe(expected);
  });

  it.each(['ftp://example.org', 'file:///etc/passwd', 'not a url'])('refuses HF_ENDPOINT %s', (endpoint) => {
    const attempt = (): unknown => hubSettings({ HF_ENDPOINT: endpoint }, HOME, () => undefined);
    expect(attempt).toThrow(LongviewError);
    expect(attempt).toThrow(/HF_ENDPOINT/);
  });

  const cacheCases: [string, Environment, string][] = [
    ['default', {}, '/home/ada/.cache/huggingface/hub'],
    ['XDG_CACHE_HOME', { XDG_CACHE_HOME: '/var/cache/ada' }, '/var/cache/ada/huggingface/hub'],
    ['HF_HOME wins over XDG', { HF_HOME: '/data/hf', XDG_CACHE_HOME: '/var/cache/ada' }, '/data/hf/hub'],
    ['HF_HOME with ~', { HF_HOME: '~/hf' }, '/home/ada/hf/hub'],
    ['HF_HUB_CACHE wins over HF_HOME', { HF_HUB_CACHE: '/fast/hub', HF_HOME: '/data/hf' }, '/fast/hub'],
    ['legacy HUGGINGFACE_HUB_CACHE', { HUGGINGFACE_HUB_CACHE: '/old/hub' }, '/old/hub'],
  ];
  it.each(cacheCases)('cache folder: %s', (_name, env, expected) => {
    expect(hubSettings(env, HOME, () => undefined).cacheDirectory).toBe(expected);
  });

  const tokenFiles: Record<string, string> = { '/home/ada/.cache/huggingface/token': 'hf_fromfile\n', '/data/hf/token': ' hf_datafile ', '/custom/token': 'hf_custom' };
  const tokenCases: [string, Environment, string | undefined][] = [
    ['none anywhere', { XDG_CACHE_HOME: '/nowhere' }, undefined],
    ['token file under the default HF_HOME, newline trimmed', {}, 'hf_fromfile'],
    ['token file under HF_HOME', { HF_HOME: '/data/hf' }, 'hf_datafile'],
    ['HF_TOKEN_PATH', { HF_TOKEN_PATH: '/custom/token' }, 'hf_custom'],
    ['HF_TOKEN wins over the file', { HF_TOKEN: 'hf_env' }, 'hf_env'],
    ['legacy HUGGING_FACE_HUB_TOKEN', { HUGGING_FACE_HUB_TOKEN: 'hf_legacy', XDG_CACHE_HOME: '/nowhere' }, 'hf_legacy'],
    ['empty HF_TOKEN falls back to the file', { HF_TOKEN: '' }, 'hf_fromfile'],
  ];
  it.each(tokenCases)('token: %s', (_name, env, expected) => {
    expect(hubSettings(env, HOME, (path) => tokenFiles[path]).token).toBe(expected);
  });

  const offlineCases: [string | undefined, boolean][] = [
    [undefined, false], ['1', true], ['true', true], ['YES', true], ['on', true], ['0', false], ['false', false], ['', false],
  ];
  it.each(offlineCases)('HF_HUB_OFFLINE=%s → offline %s', (value, expected) => {
    expect(hubSettings({ HF_HUB_OFFLINE: value }, HOME, () => undefined).offline).toBe(expected);
  });

  it('takes proxies from the given environment, lower case first, and never from process.env', () => {
    const settings = hubSettings({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', HTTP_PROXY: 'http://plain:3', NO_PROXY: 'localhost' }, HOME, () => undefined);
    expect(settings.proxy).toEqual({ httpsProxy: 'http://lower:1', httpProxy: 'http://plain:3', noProxy: 'localhost' });
    expect(hubSettings({}, HOME, () => undefined).proxy).toEqual({ httpsProxy: '', httpProxy: '', noProxy: '' });
  });
});
