// TypeScript declarations for /client.js (window.Pushgate, or require('.../client.js')). See README.md.

declare namespace Pushgate {
  type TransportName = 'websocket' | 'sse' | 'poll';

  interface ClientOptions {
    /** ws(s) URL of the WebSocket; default ws(s)://<this host>/ws. A path is resolved against the page. */
    url?: string | null;
    /** 'auto' (default): websocket, then sse, then poll; or force one. */
    transport?: 'auto' | TransportName;
    /** Default http(s)://<host of url>/sse. */
    sseUrl?: string | null;
    /** Default http(s)://<host of url>/poll. */
    pollUrl?: string | null;
    /** Default http(s)://<host of url>/api/client/publish (publish when not on a WebSocket). */
    publishUrl?: string | null;
    /** A connection token (JWT). */
    token?: string | null;
    /** Called on every connect and on `expiring`; a new token is sent as `refresh`. */
    getToken?: (() => string | null | Promise<string | null>) | null;
    pingInterval?: number;
    pongTimeout?: number;
    connectTimeout?: number;
    pollTimeout?: number;
    /** On a fallback transport, try the better one again this often (ms). Default 60000. */
    upgradeInterval?: number;
    backoffBase?: number;
    backoffCap?: number;
    requestTimeout?: number;
    maxBufferedAmount?: number;
    WebSocket?: unknown;
    EventSource?: unknown;
    fetch?: typeof fetch | null;
  }

  interface PushgateError extends Error {
    /** The server's error code, or disconnected | timeout | backpressure | unsubscribed | closed | transport |
     *  forbidden | unauthorized | unsupported_transport | bad_request | bad_option | bad_frame | token. */
    code: string;
  }

  interface MessageMeta { topic: string; seq?: number; prevSeq: number | null; }
  interface Member { client: string; node: string; user: string | null; }

  interface Events {
    connecting: { url: string; attempt: number; transport: TransportName };
    /** On a WebSocket also the server's `connected` frame (client, node, version, ping). */
    connected: { transport: TransportName; client?: string; node?: string; version?: number; ping?: number };
    disconnected: {
      code: number; reason: string; wasClean: boolean; wasConnected: boolean; transport: TransportName;
      willReconnect: boolean; /** same as willReconnect */ reconnect: boolean; delay: number | null;
    };
    subscribed: { topic: string; resubscribed: boolean };
    recovered: { topic: string; recovered: boolean; epoch?: string | null; seq?: number | null };
    gap: { topic: string; epoch: string; seq: number };
    join: { topic: string; member: Member };
    leave: { topic: string; member: Member };
    expiring: { in: number };
    skipped: { topics: { [topic: string]: number } };
    error: PushgateError | Error;
  }

  interface Ack { op: 'ack'; id?: number; topic?: string; seq?: number; epoch?: string; }

  class Client {
    constructor(options?: ClientOptions);
    readonly url: string;
    readonly sseUrl: string;
    readonly pollUrl: string;
    readonly publishUrl: string;
    readonly state: 'disconnected' | 'connecting' | 'connected' | 'closed';
    readonly transport: TransportName;
    readonly session: object | null;
    readonly bufferedAmount: number;
    on<K extends keyof Events>(event: K, listener: (e: Events[K]) => void): () => void;
    off<K extends keyof Events>(event: K, listener: (e: Events[K]) => void): void;
    connect(): this;
    close(): void;
    subscribe(topic: string, onMessage?: (data: unknown, meta: MessageMeta) => void): Promise<void>;
    unsubscribe(topic: string, onMessage?: (data: unknown, meta: MessageMeta) => void): Promise<void>;
    publish(topic: string, data: unknown): Promise<Ack>;
    whenWritable(limit?: number): Promise<void>;
    lastSeq(topic: string): number | null;
    position(topic: string): { epoch: string; seq: number } | null;
    topics(): string[];
  }

  function connect(options?: ClientOptions): Client;
  function isTerminalCloseCode(code: number): boolean;
  function backoffDelay(attempt: number, base: number, cap: number): number;
  const transports: TransportName[];
}

interface Window { Pushgate: typeof Pushgate; }
