/**
 * The few browser globals that functions run inside the page (page.evaluate, addInitScript)
 * touch, typed by hand: the project compiles without the DOM library (the engine must not see
 * `window`), and a `/// <reference lib="dom">` here would add it to the whole program. Page
 * functions start with `const page = globalThis as unknown as BrowserGlobals;` (a cast, erased
 * when the function is sent to the browser).
 */

export interface PageElement {
  readonly tagName: string;
  readonly textContent: string | null;
  readonly id: string;
  getAttribute(name: string): string | null;
  querySelector(selectors: string): PageElement | null;
  closest(selectors: string): PageElement | null;
  blur(): void;
  appendChild(child: PageElement | PageScript): void;
}

/** A <script> made by a page function, to see the policy stop inline code. */
export interface PageScript {
  textContent: string | null;
}

export interface PageVideo extends PageElement {
  currentTime: number;
  readonly paused: boolean;
  readonly duration: number;
  readonly readyState: number;
}

/** A <video> made by a page function, to see whether a URL loads as media. */
export interface PageMediaProbe {
  src: string;
  preload: string;
  addEventListener(type: 'loadedmetadata' | 'error', listener: () => void): void;
}

export interface PageCanvas extends PageElement {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
  toDataURL(): string;
}

export interface PolicyViolation {
  readonly effectiveDirective: string;
  readonly blockedURI: string;
  readonly sourceFile: string;
  readonly lineNumber: number;
}

export interface BrowserGlobals {
  document: {
    readonly body: PageElement;
    readonly activeElement: PageElement | null;
    querySelector(selectors: string): PageElement | null;
    querySelectorAll(selectors: string): ArrayLike<PageElement>;
    addEventListener(type: 'securitypolicyviolation', listener: (event: PolicyViolation) => void): void;
    createElement(tag: 'video'): PageMediaProbe;
    createElement(tag: 'script'): PageScript;
  };
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: { subtree: boolean; childList: boolean; characterData: boolean; attributes?: boolean }): void };
  WebSocket: new (url: string) => { addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void; close(): void };
  fetch(url: string): Promise<{ status: number }>;
  /** What the tests record in the page. */
  __cspViolations?: string[];
  __progressSamples?: unknown[];
  /** Set only if an injected label's script ran. */
  __pwned?: unknown;
}
