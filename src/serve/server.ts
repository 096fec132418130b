/**
 * `longview serve`: the app in a browser. One HTTP server on 127.0.0.1 only (never another
 * interface), a random 256-bit token in the printed URL, and three kinds of request:
 *   /api      WebSocket (token + own Origin): the API of src/shared/api.ts as wire.ts JSON
 *   /media/ID video bytes with ranges (token): a video the user opened, re-checked every time
 *   anything else: the built renderer (Host check only: it is the app's public code)
 * Every request must carry our own Host header first (see request-guards.ts for why).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { OpenedVideo } from '../shared/api.js';
import { LongviewError } from '../shared/errors.js';
import { resourcesDirectory } from '../model/resources.js';
import { createEngineService } from '../service/engine-service.js';
import { createHost, type Host } from '../service/host.js';
import { mediaResponse } from '../service/media-response.js';
import { staticResponse } from '../service/static-response.js';
import { createVideoAccess } from '../service/video-access.js';
import { ApiSockets } from './api-sockets.js';
import { plainResponse, sendResponse, toRequest } from './node-bridge.js';
import { ownHost, originMatches, splitTarget, tokenMatches } from './request-guards.js';

export interface ServerOptions {
  /** 0 or absent: a free port the system picks. */
  port?: number | undefined;
  dataFolder: string;
  cacheDirectory: string;
  /** Videos to open before the URL is shown (command line); a bad one fails the start. */
  videos?: readonly string[] | undefined;
  /** The built renderer; defaults to dist/renderer beside resources/. */
  rendererRoot?: string | undefined;
}

export interface RunningServer {
  /** http://127.0.0.1:PORT/?token=… */
  url: string;
  token: string;
  port: number;
  /** The videos given in options, opened. */
  startupVideos: OpenedVideo[];
  host: Host;
  /** Cancels jobs, closes sockets and the listener; resolves when all are closed. */
  close(): Promise<void>;
}

/** A 16 MiB message is far beyond any request (an edit list of 100,000 segments is ~15 MB). */
const MAXIMUM_MESSAGE_BYTES = 16 * 1024 * 1024;
/** The token: 32 random bytes, base64url. */
const TOKEN_BYTES = 32;
const LOOPBACK = '127.0.0.1';

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const rendererRoot = options.rendererRoot ?? join(resourcesDirectory(), '..', 'dist', 'renderer');
  const access = createVideoAccess();
  let sockets: ApiSockets | undefined;
  const engine = createEngineService({
    dataFolder: options.dataFolder,
    cacheDirectory: options.cacheDirectory,
    host: 'browser',
    emit: (event, payload) => sockets?.broadcast({ type: 'event', event, payload }),
  });
  const host = createHost({
    engine: { call: (method, request) => engine.handle(method, request) },
    access,
    mediaUrl: (videoId) => `/media/${encodeURIComponent(videoId)}?token=${token}`,
    host: 'browser',
  });
  sockets = new ApiSockets(host);
  const socketServer = new WebSocketServer({ noServer: true, maxPayload: MAXIMUM_MESSAGE_BYTES });

  const server = createServer();
  await listen(server, options.port ?? 0);
  const port = (server.address() as { port: number }).port;
  const connectSources = [`ws://${LOOPBACK}:${port}`, `ws://localhost:${port}`];

  server.on('request', (incoming, outgoing) => {
    const checkedHost = ownHost(incoming.headers.host, port);
    if (checkedHost === undefined) {
      plainResponse(outgoing, 421, 'This server answers only to its own address.');
      return;
    }
    const { pathname, token: given } = splitTarget(incoming.url);
    const request = toRequest(incoming, `http://${checkedHost}`);
    let answer: Promise<Response>;
    if (pathname.startsWith('/media/')) {
      if (!tokenMatches(given, token)) {
        plainResponse(outgoing, 403, 'Wrong or missing token.');
        return;
      }
      answer = mediaResponse(request, access, decodeSegment(pathname.slice('/media/'.length)));
    } else if (pathname === '/api') {
      plainResponse(outgoing, 426, 'The API is a WebSocket.');
      return;
    } else {
      answer = staticResponse(request, { root: rendererRoot, rawPathname: pathname, policy: { connect: connectSources } });
    }
    answer.then(
      (response) => sendResponse(response, outgoing),
      () => plainResponse(outgoing, 500, 'Internal error.'),
    );
  });

  server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
    const checkedHost = ownHost(incoming.headers.host, port);
    const { pathname, token: given } = splitTarget(incoming.url);
    const refusal =
      checkedHost === undefined ? '421 Misdirected Request'
      : pathname !== '/api' ? '404 Not Found'
      : !tokenMatches(given, token) || !originMatches(incoming.headers.origin, checkedHost) ? '403 Forbidden'
      : undefined;
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    socketServer.handleUpgrade(incoming, socket, head, (webSocket) => sockets.add(webSocket));
  });

  const close = async (): Promise<void> => {
    await engine.dispose();
    sockets.close();
    socketServer.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  const startupVideos: OpenedVideo[] = [];
  try {
    for (const path of options.videos ?? []) startupVideos.push(await host.openAtStartup(path));
  } catch (error) {
    await close();
    throw error;
  }
  return { url: `http://${LOOPBACK}:${port}/?token=${token}`, token, port, startupVideos, host, close };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'it is in use; choose another with --port, or leave --port out for a free one' : `the system said ${error.code ?? error.message}`;
      reject(new LongviewError('usage', 'port-unavailable', `Cannot listen on ${LOOPBACK}:${port}: ${why}.`, { cause: error }));
    });
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
}

/** A percent-encoded id; an undecodable one simply matches no grant. */
function decodeSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
