/**
 * The Content-Security-Policy both hosts send with the renderer: only the app's own files run,
 * no inline script or style, no eval, no plugins, no framing, no forms, no <base>. Pure. The
 * caller adds the sources only it knows: Electron its `longview-media:` scheme, `longview serve`
 * its WebSocket origin.
 */

export interface PolicySources {
  /** Added to media-src, e.g. "longview-media:". */
  media?: readonly string[];
  /** Added to connect-src, e.g. "ws://127.0.0.1:8123". */
  connect?: readonly string[];
}

/** A source must be one token: no spaces, semicolons or commas that could end the directive. */
const SOURCE = /^[^\s;,]+$/;

export function contentSecurityPolicy(extra: PolicySources = {}): string {
  const sources = (list: readonly string[] | undefined): string => {
    for (const source of list ?? []) {
      if (!SOURCE.test(source) || /unsafe/i.test(source)) throw new Error(`contentSecurityPolicy: refusing the source ${JSON.stringify(source)}`);
    }
    return (list ?? []).map((source) => ` ${source}`).join('');
  };
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `media-src 'self'${sources(extra.media)}`,
    `connect-src 'self'${sources(extra.connect)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
