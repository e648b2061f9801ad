/**
 * The HTTP server on 127.0.0.1 (port 0): `POST /api/<method>` (Web API), `POST /response/<id>` (response_url),
 * `POST /upload/<file_id>` (upload URLs of files.getUploadURLExternal), WebSocket upgrade at `/socket-mode`
 * (Socket Mode).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { sendJson } from './http-util.ts';
import type { ResponseUrls } from './response-url.ts';
import type { SocketMode } from './socket-mode.ts';
import type { FileUploads } from './uploads.ts';
import type { WebApi } from './web-api.ts';

export interface Routes {
  webApi: WebApi;
  responseUrls: ResponseUrls;
  socketMode: SocketMode;
  uploads: FileUploads;
}

/** More pages on the same server (the simulator's web page): answers true when it handled the request. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export class FakeSlackServer {
  private readonly server: Server;
  private port = 0;
  private pages: PageHandler | undefined;

  constructor(private readonly routes: Routes) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        console.error('fake-slack: request failed', error);
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error' });
        else res.end();
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  servePages(handler: PageHandler): void {
    this.pages = handler;
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsBase(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const api = /^\/api\/([A-Za-z0-9._-]+)$/.exec(url.pathname);
    if (api?.[1]) return this.routes.webApi.handle(req, res, api[1], url.searchParams);
    const response = /^\/response\/(.+)$/.exec(url.pathname);
    if (response?.[1] && req.method === 'POST') return this.routes.responseUrls.handle(req, res, response[1]);
    const upload = /^\/upload\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (upload?.[1]) return this.routes.uploads.handle(req, res, upload[1]);
    if (this.pages && (await this.pages(req, res, url))) return;
    req.resume();
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname !== '/socket-mode') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.routes.socketMode.handleUpgrade(req, socket, head, url);
  }

  /** Stops listening and drops open connections: connections are refused, as with Slack out of reach. */
  async goOffline(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Listens again on the same port, with the workspace as it was. */
  async goOnline(): Promise<void> {
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    this.routes.socketMode.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
