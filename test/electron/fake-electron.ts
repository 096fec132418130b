/**
 * Test helper (not a test): the parts of the 'electron' module main.ts touches, standing in for
 * the Electron runtime this machine cannot start, so main.ts's wiring runs for real. What main.ts
 * registers (protocol handlers, the IPC handler, windows, menus, dialogs) is recorded in `recorded`;
 * `utilityProcess.fork` forks the real engine process with node (the .ts source under tsx).
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';

type Handler = (...args: never[]) => unknown;

export const recorded = {
  privilegedSchemes: [] as unknown[],
  protocols: new Map<string, (request: Request) => Promise<Response> | Response>(),
  ipc: new Map<string, Handler>(),
  windows: [] as FakeWindow[],
  menus: [] as unknown[],
  messageBoxes: [] as unknown[],
  engines: [] as ReturnType<typeof fork>[],
  permissionHandlersSet: 0,
};

class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: unknown[][] = [];
  url = '';
  readonly mainFrame = { url: '', parent: null };
  isDestroyed = (): boolean => false;
  getURL = (): string => this.url;
  send = (...args: unknown[]): void => void this.sent.push(args);
  setWindowOpenHandler = (): void => {};
}

export class FakeWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  constructor(readonly options: unknown) {
    super();
    recorded.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isMinimized = (): boolean => false;
  restore = (): void => {};
  focus = (): void => {};
  show = (): void => {};
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Longview';
  whenReady = (): Promise<void> => Promise.resolve();
  enableSandbox = (): void => {};
  requestSingleInstanceLock = (): boolean => true;
  quit = (): void => {};
  getPath = (name: string): string => `/fake/${name}`;
}

export const app = new FakeApp();
export const BrowserWindow = FakeWindow;
export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => void recorded.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void recorded.protocols.set(scheme, handler),
};
export const ipcMain = { handle: (channel: string, handler: Handler) => void recorded.ipc.set(channel, handler) };
export const Menu = { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => void recorded.menus.push(menu) };
export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true }),
  showMessageBox: async (...args: unknown[]) => (recorded.messageBoxes.push(args.at(-1)), { response: 0 }),
  showErrorBox: (title: string, content: string) => void recorded.messageBoxes.push({ title, content }),
};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => void recorded.permissionHandlersSet++,
    setPermissionCheckHandler: () => void recorded.permissionHandlersSet++,
  },
};

/** Electron's UtilityProcess shape over node's child_process.fork. */
export const utilityProcess = {
  fork(modulePath: string, args: string[]) {
    const child = fork(modulePath.replace(/\.js$/, '.ts'), args, { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    recorded.engines.push(child);
    const emitter = new EventEmitter();
    child.on('message', (message) => emitter.emit('message', message));
    child.on('exit', (code) => emitter.emit('exit', code));
    return Object.assign(emitter, {
      postMessage: (message: unknown) => void child.send(message as object, () => {}),
      kill: () => child.kill('SIGKILL'),
      pid: child.pid,
    });
  },
};

export default { app, BrowserWindow, protocol, ipcMain, Menu, dialog, session, utilityProcess };
