/**
 * Builds the renderer into dist/renderer. Both hosts serve it under a strict CSP (no inline
 * scripts or styles, no eval), so nothing may be inlined: assets stay files, CSS is extracted,
 * and the module-preload polyfill (an inline script) is off. `base: './'` lets Electron load it
 * from a custom protocol and `longview serve` from its root alike.
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// No node:path here: every file under renderer/ is held to the renderer's import rule
// (test/architecture.test.ts). Vite resolves outDir against root, and root is this folder.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [svelte({ compilerOptions: { css: 'external' } })],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: true,
    target: 'es2022',
  },
});
