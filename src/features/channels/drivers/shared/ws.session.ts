import WebSocket from 'ws';
import type { RawData } from 'ws';
import { ConnectorError } from '../../connector.ts';
import { connectorErrorOfStatus } from './http.errors.ts';

/**
 * One WebSocket connection of a streaming listener: bounded frames, a stall timer kept alive by pings, flow
 * control, and one outcome — the failure that ended it, or null when we closed it ourselves.
 */
export interface WsSessionOptions {
  url: string;
  platform: string;
  headers?: Record<string, string>;
  /** Frames above this are dropped (reported via onOversize) without closing the connection. */
  maxFrameBytes: number;
  /** Frames above this close the connection (ws `maxPayload`): a server that sends them is broken. */
  hardFrameBytes: number;
  /** No frame and no pong for this long means the connection is dead. */
  stallTimeoutMs: number;
  signal: AbortSignal;
  now(): Date;
  onOpen?(): void;
  onFrame(text: string): void;
  onOversize(bytes: number): void;
  closeError(code: number, reason: string): ConnectorError;
}

export interface WsSession {
  send(text: string): void;
  pause(): void;
  resume(): void;
  /** Ends the session with this failure (e.g. the handler could not store a message). */
  fail(error: ConnectorError): void;
  readonly done: Promise<ConnectorError | null>;
}

function frameBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function openWsSession(options: WsSessionOptions): WsSession {
  let failure: ConnectorError | null = null;
  let resolveDone: (value: ConnectorError | null) => void = () => undefined;
  const done = new Promise<ConnectorError | null>((resolve) => {
    resolveDone = resolve;
  });
  const ws = new WebSocket(options.url, {
    headers: { 'user-agent': 'Parley listener', ...options.headers },
    maxPayload: options.hardFrameBytes,
    handshakeTimeout: Math.min(options.stallTimeoutMs, 15_000),
    followRedirects: false,
  });
  let lastActivity = Date.now();
  let settled = false;
  // While we hold the socket paused, silence is ours, not the platform's.
  let paused = false;

  const setFailure = (error: ConnectorError) => {
    if (!failure && !options.signal.aborted) failure = error;
  };
  const shutdown = () => {
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  };
  const onAbort = () => shutdown();
  options.signal.addEventListener('abort', onAbort, { once: true });

  const checkEvery = Math.max(10, Math.floor(options.stallTimeoutMs / 3));
  let lastTick = Date.now();
  const watchdog = setInterval(() => {
    const tick = Date.now();
    // A late tick means this process was busy (not the platform silent): give the peer a fresh period.
    const blocked = tick - lastTick > checkEvery * 2;
    lastTick = tick;
    if (paused || blocked) {
      lastActivity = tick;
      if (blocked && ws.readyState === WebSocket.OPEN) ws.ping();
      return;
    }
    if (Date.now() - lastActivity > options.stallTimeoutMs) {
      setFailure(new ConnectorError('network', `${options.platform} stream stalled: nothing for ${Math.round(options.stallTimeoutMs / 1000)} s`));
      ws.terminate();
      return;
    }
    if (ws.readyState === WebSocket.OPEN) ws.ping();
  }, checkEvery);

  const finish = () => {
    if (settled) return;
    settled = true;
    clearInterval(watchdog);
    options.signal.removeEventListener('abort', onAbort);
    resolveDone(failure);
  };

  ws.on('unexpected-response', (_request, response) => {
    setFailure(connectorErrorOfStatus(options.platform, response.statusCode ?? 0, headersOf(response.headers), options.now()));
    response.resume();
    ws.terminate();
  });
  ws.on('open', () => {
    lastActivity = Date.now();
    options.onOpen?.();
  });
  ws.on('pong', () => {
    lastActivity = Date.now();
  });
  ws.on('message', (data, isBinary) => {
    lastActivity = Date.now();
    const buffer = frameBuffer(data);
    if (buffer.byteLength > options.maxFrameBytes || isBinary) {
      options.onOversize(buffer.byteLength);
      return;
    }
    options.onFrame(buffer.toString('utf8'));
  });
  ws.on('error', (error) => {
    setFailure(new ConnectorError('network', `${options.platform} connection error: ${error.message.slice(0, 200)}`, { cause: error }));
  });
  ws.on('close', (code, reason) => {
    if (!options.signal.aborted && code !== 1000) setFailure(options.closeError(code, reason.toString('utf8')));
    if (!options.signal.aborted) setFailure(new ConnectorError('network', `${options.platform} closed the stream`));
    finish();
  });
  if (options.signal.aborted) shutdown();

  return {
    send(text) {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    pause() {
      paused = true;
      if (ws.readyState === WebSocket.OPEN) ws.pause();
    },
    resume() {
      paused = false;
      lastActivity = Date.now();
      if (ws.readyState === WebSocket.OPEN) ws.resume();
    },
    fail(error) {
      setFailure(error);
      ws.terminate();
    },
    done,
  };
}

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  return headers;
}

