/**
 * Socket Mode: `apps.connections.open` hands out one-time tickets; a WebSocket upgrade at
 * `/socket-mode?ticket=...` with a valid ticket gets Slack's `hello`. Envelopes are sent to the newest
 * connection and resolve with the client's ack (`{ envelope_id, payload? }`), or reject after the ack timeout.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { randomHex } from './ids.ts';
import type { AckMessage, EnvelopeType } from './types.ts';

interface Pending {
  resolve(ack: AckMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class SocketMode {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets: WebSocket[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly errorList: string[] = [];
  private readonly acks: AckMessage[] = [];
  private waiters: Array<() => void> = [];
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: { appId: string; ackTimeoutMs: number; pingIntervalMs: number; wsBase: () => string }) {
    if (opts.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => {
        for (const socket of this.sockets) socket.ping(Buffer.from(`ping-${Date.now()}`));
      }, opts.pingIntervalMs);
      this.pingTimer.unref();
    }
  }

  /** A fresh one-time URL, as apps.connections.open returns it. */
  openUrl(): string {
    const ticket = randomHex(16);
    this.tickets.add(ticket);
    return `${this.opts.wsBase()}/socket-mode?ticket=${ticket}&app_id=${this.opts.appId}`;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      this.errorList.push(`connection refused: unknown or used ticket ${JSON.stringify(ticket)}`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.sockets.push(ws);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => {
      const index = this.sockets.indexOf(ws);
      if (index >= 0) this.sockets.splice(index, 1);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: { host: 'fake', approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.errorList.push('binary message from client');
      return;
    }
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.errorList.push(`unparseable message from client: ${text}`);
      return;
    }
    const envelopeId = typeof message === 'object' && message !== null && 'envelope_id' in message ? message.envelope_id : undefined;
    if (typeof envelopeId !== 'string') {
      this.errorList.push(`message without envelope_id: ${text}`);
      return;
    }
    const ack: AckMessage = { envelope_id: envelopeId };
    if (typeof message === 'object' && message !== null && 'payload' in message) ack.payload = message.payload;
    const waiting = this.pending.get(envelopeId);
    if (!waiting) {
      this.errorList.push(`ack for unknown envelope_id ${envelopeId}`);
      return;
    }
    this.pending.delete(envelopeId);
    clearTimeout(waiting.timer);
    this.acks.push(ack);
    waiting.resolve(ack);
  }

  /** Resolves once a client is connected (at once if one already is). */
  connected(): Promise<void> {
    if (this.sockets.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  connectionCount(): number {
    return this.sockets.length;
  }

  /** Sends an envelope to the newest connection; resolves with the client's ack. */
  send(type: EnvelopeType, payload: unknown): Promise<AckMessage> {
    const socket = this.sockets[this.sockets.length - 1];
    if (!socket) return Promise.reject(new Error('fake-slack: no Socket Mode client is connected'));
    const envelopeId = `${randomHex(4)}-${randomHex(2)}-${randomHex(2)}-${randomHex(2)}-${randomHex(6)}`;
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      retry_attempt: 0,
      retry_reason: '',
    };
    return new Promise<AckMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`fake-slack: no ack for ${type} envelope ${envelopeId} within ${this.opts.ackTimeoutMs} ms`));
      }, this.opts.ackTimeoutMs);
      this.pending.set(envelopeId, { resolve, reject, timer });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks connected clients to reconnect, as Slack does before rotating a connection. */
  disconnect(reason = 'refresh_requested'): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }));
  }

  errors(): string[] {
    return [...this.errorList];
  }

  ackedMessages(): AckMessage[] {
    return [...this.acks];
  }

  close(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const [, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error('fake-slack: closed before the ack'));
    }
    this.pending.clear();
    for (const socket of [...this.sockets]) socket.terminate();
    this.wss.close();
  }
}
