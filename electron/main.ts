/**
 * The Electron main process: wiring only. Every decision lives in a small module beside this
 * one (window-options, sender-check, ipc, protocols, menu-template, command-line,
 * engine-supervisor, app-requests, video-opener) and is tested there; this file connects them
 * to Electron's objects. Paths are relative to the built file, dist/electron/main.js.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess } from 'electron';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventName, OpenedVideo, RecentVideo } from '../src/shared/api.js';
import { defaultCacheDirectory } from '../src/analysis/store/default-location.js';
import { defaultDataFolder } from '../src/serve/data-folder.js';
import { toApiError } from '../src/service/api-error.js';
import { createHost } from '../src/service/host.js';
import { createVideoAccess } from '../src/service/video-access.js';
import { APP_ENTRY_URL, mediaUrl } from './app-origin.js';
import { createAppRequests, restartAndReopen } from './app-requests.js';
import { videoPathsFromArgv } from './command-line.js';
import { hostDialogs } from './dialogs.js';
import { engineArguments } from './engine-arguments.js';
import { fromUtilityProcess } from './engine-child.js';
import { createEngineSupervisor } from './engine-supervisor.js';
import { registerRequestHandler, sendEvent } from './ipc.js';
import { menuTemplate } from './menu-template.js';
import { packagedResourcesDirectory } from './packaged-paths.js';
import { appProtocolResponse, mediaProtocolResponse } from './protocols.js';
import { PRIVILEGED_SCHEMES } from './schemes.js';
import { VideoOpener } from './video-opener.js';
import { denyPermissions, guardWebContents, windowOptions } from './window-options.js';

const here = dirname(fileURLToPath(import.meta.url));
const rendererRoot = join(here, '..', 'renderer');
const preloadPath = join(here, 'preload.cjs');
const engineEntry = join(here, 'engine-process.js');

// The engine finds labels, schemas and the catalog here once packaged (src/model/resources.ts).
if (app.isPackaged) process.env.LONGVIEW_RESOURCES = packagedResourcesDirectory(process.resourcesPath);

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run();
}

function run(): void {
  let window: BrowserWindow | undefined;
  const commandLine = (argv: readonly string[], workingDirectory: string): string[] =>
    videoPathsFromArgv(argv, { defaultApp: process.defaultApp === true, workingDirectory });
  // macOS hands files over with open-file, possibly before ready.
  const earlyFiles: string[] = [];
  let openLater: ((path: string) => void) | undefined;
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (openLater === undefined) earlyFiles.push(path);
    else openLater(path);
  });

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

  void app.whenReady().then(() => {
    denyPermissions(session.defaultSession);
    const folders = {
      dataFolder: resolve(defaultDataFolder(process.env, process.platform, homedir())),
      cacheDirectory: resolve(defaultCacheDirectory(process.env, process.platform, homedir())),
    };
    const broadcast = (event: EventName, payload: unknown): void => sendEvent(window?.webContents, event, payload);
    const supervisor = createEngineSupervisor({
      fork: () => fromUtilityProcess(utilityProcess.fork(engineEntry, engineArguments(folders), { serviceName: 'Longview Engine', stdio: 'inherit' })),
      onEvent: broadcast,
    });
    const access = createVideoAccess();
    const dialogs = hostDialogs({ dialog, window: () => window, exportFolder: () => app.getPath('documents') });
    const host = createHost({
      engine: supervisor,
      access,
      mediaUrl,
      host: 'electron',
      dialogs,
      restartEngine: () => restartAndReopen({ engine: supervisor, resolveVideo: (videoId) => access.resolve(videoId), videoIds: requests.openedVideoIds() }),
    });
    const opener: VideoOpener = new VideoOpener({
      openAtStartup: async (path) => {
        const video = await host.openAtStartup(path);
        requests.noteOpened(video);
        return video;
      },
      open: async (path) => (await requests.handle('openVideo', { path })) as OpenedVideo,
      announce: (video) => {
        broadcast('videoOpened', video);
        void refreshMenu();
      },
      reportError: (path, error) => {
        const options = { type: 'error' as const, message: `Longview could not open ${basename(path)}.`, detail: toApiError(error).message };
        void (window === undefined ? dialog.showMessageBox(options) : dialog.showMessageBox(window, options));
      },
    });
    const requests = createAppRequests({ host, startupSettled: () => opener.startupSettled() });

    protocol.handle('app', (request) => appProtocolResponse(request, rendererRoot));
    protocol.handle('longview-media', (request) => mediaProtocolResponse(request, access));

    registerRequestHandler(ipcMain, {
      trustedWebContentsId: () => window?.webContents.id,
      handle: async (method, request) => {
        const response = await requests.handle(method, request);
        if (method === 'openVideo' || method === 'chooseVideo') void refreshMenu();
        return response;
      },
    });

    async function refreshMenu(): Promise<void> {
      let recent: RecentVideo[] = [];
      try {
        recent = (await supervisor.call('recentVideos', {})) as RecentVideo[];
      } catch {
        // A crashed engine leaves the submenu empty until it is back.
      }
      const actions = {
        openVideo: () => void dialogs.chooseVideo().then((path) => (path === null ? undefined : opener.openAndAnnounce(path))),
        openRecent: (path: string) => void opener.openAndAnnounce(path),
        restartEngine: () => void requests.handle('restartEngine', {}).catch((error: unknown) => dialog.showErrorBox('Longview', toApiError(error).message)),
      };
      Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform: process.platform, appName: app.name, recent, isPackaged: app.isPackaged }, actions)));
    }

    function createWindow(): void {
      const created = new BrowserWindow(windowOptions(preloadPath));
      window = created;
      created.once('ready-to-show', () => created.show());
      created.on('closed', () => {
        if (window === created) window = undefined;
      });
      void created.loadURL(APP_ENTRY_URL);
    }

    opener.openAtStartup([...commandLine(process.argv, process.cwd()), ...earlyFiles.splice(0)]);
    openLater = (path) => void opener.openAndAnnounce(path);
    app.on('second-instance', (_event, argv, workingDirectory) => {
      if (window === undefined) createWindow();
      else if (window.isMinimized()) window.restore();
      window?.focus();
      for (const path of commandLine(argv, workingDirectory)) void opener.openAndAnnounce(path);
    });
    app.on('activate', () => {
      if (window === undefined) createWindow();
    });
    app.on('will-quit', () => supervisor.dispose());

    void refreshMenu();
    createWindow();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
