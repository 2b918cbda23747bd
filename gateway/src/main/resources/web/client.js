/*
 * pushgate browser client: one WebSocket to the gateway, topic subscriptions, publish, keep-alive and
 * reconnect with jittered exponential backoff. No dependencies; load it as a plain <script> (window.Pushgate)
 * or require() it (module.exports).
 *
 *   const client = new Pushgate.Client();            // ws(s)://<this host>/ws
 *   client.on('connected', (hello) => ...);          // also: connecting, disconnected, subscribed, error,
 *                                                    //       recovered, gap
 *   client.subscribe('chat.lobby', (data, meta) => ...);  // meta: {topic, seq, prevSeq}
 *   client.connect();
 *   client.publish('chat.lobby', {user: 'ann', text: 'hi'}).then((ack) => ack.seq, (err) => err.code);
 *
 * Requests (subscribe, unsubscribe, publish) return Promises settled by the server's `ack` (resolve) or
 * `error` frame (reject with an Error whose `.code` is the server's error code). Client-side failures use
 * the codes `disconnected`, `timeout`, `backpressure`, `unsubscribed` and `closed`.
 *
 * Recovery: the client keeps each topic's position (the epoch from the subscribe ack or a `gap`, and the seq of the
 * last message) and resubscribes after a reconnect with `since`, so the server replays what was missed. It then
 * emits `recovered` {topic, recovered, epoch, seq}: with recovered false nothing was replayed (history no longer
 * holds it) and the page should re-read its state. `gap` {topic, epoch, seq} means the server could not deliver
 * some messages (re-read state too). Messages at or below the known position are not passed on twice.
 *
 * Close codes (see protocol/PROTOCOL.md): 4500-4999 are terminal (no reconnect); a close the application
 * asked for with close() does not reconnect; 1002/1003/1007/1008/1009 (protocol or policy problems)
 * reconnect slowly (at the backoff cap); everything else reconnects with backoff and resubscribes.
 */
(function (factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  }
  if (typeof window !== 'undefined') {
    window.Pushgate = api;
  }
}(function () {
  'use strict';

  const OPEN = 1;
  /** A connection that stayed up this long resets the backoff. */
  const STABLE_MS = 5000;
  /** Protocol or policy problems: reconnecting at once would most likely fail the same way. */
  const SLOW_RETRY_CODES = [1002, 1003, 1007, 1008, 1009];

  const DEFAULTS = {
    url: null,               // default ws(s)://<location.host>/ws; a path like '/ws' is resolved against the page
    pingInterval: 25000,     // send {"op":"ping"} this often (ms) ...
    pongTimeout: 35000,      // ... and reconnect when no frame at all arrived for this long (ms)
    connectTimeout: 10000,   // from opening the socket to the server's `connected` frame (ms)
    backoffBase: 500,
    backoffCap: 20000,
    requestTimeout: 15000,   // publish / unsubscribe without an answer (ms)
    maxBufferedAmount: 1048576, // publish rejects with `backpressure` while more bytes than this wait to be sent
    WebSocket: null          // a WebSocket constructor; default the global one
  };

  function pushgateError(code, message) {
    const err = new Error(message || code);
    err.code = code;
    return err;
  }

  /** Whether a close code means "do not reconnect". */
  function isTerminalCloseCode(code) {
    return code >= 4500 && code <= 4999;
  }

  /** Full-jitter exponential backoff: a random delay in [0, min(cap, base * 2^attempt)). */
  function backoffDelay(attempt, base, cap) {
    const ceiling = Math.min(cap, base * Math.pow(2, Math.min(attempt, 30)));
    return Math.floor(Math.random() * ceiling);
  }

  function resolveUrl(url) {
    const hasLocation = typeof location !== 'undefined' && location.host;
    if (url && /^wss?:\/\//i.test(url)) {
      return url;
    }
    if (!hasLocation) {
      throw pushgateError('bad_option', 'pushgate: an absolute ws:// or wss:// url is required outside a page');
    }
    const resolved = new URL(url || '/ws', location.href);
    resolved.protocol = resolved.protocol === 'https:' ? 'wss:' : 'ws:';
    return resolved.href;
  }

  function Client(options) {
    if (!(this instanceof Client)) {
      return new Client(options);
    }
    this.options = Object.assign({}, DEFAULTS, options || {});
    this.url = resolveUrl(this.options.url);
    /** 'disconnected' (idle or waiting to reconnect), 'connecting', 'connected' or 'closed' (terminal). */
    this.state = 'disconnected';
    /** The server's `connected` frame while connected, else null. */
    this.session = null;
    this._ws = null;
    this._wantOpen = false;
    this._nextId = 1;
    this._pending = new Map();   // request id -> {op, topic, resolve, reject, timer}
    this._subs = new Map();      // topic -> {handlers, acked, inflight, waiters, lastSeq, epoch, everAcked}
    this._listeners = {};
    this._attempt = 0;
    this._connectedAt = 0;
    this._lastReceived = 0;
    this._openedAt = 0;
    this._pingEvery = this.options.pingInterval;
    this._deadAfter = this.options.pongTimeout;
    this._reconnectTimer = null;
    this._pingTimer = null;
    this._watchdog = null;
    this._onOnline = () => {
      if (this._wantOpen && this._reconnectTimer !== null) {
        clearTimeout(this._reconnectTimer);
        this._reconnectTimer = null;
        this._open();
      }
    };
  }

  // ---- events -------------------------------------------------------------------------------------------

  /**
   * Adds a listener; returns a function that removes it. Events: connecting, connected, disconnected, subscribed,
   * recovered, gap, error.
   */
  Client.prototype.on = function (event, fn) {
    (this._listeners[event] = this._listeners[event] || []).push(fn);
    return () => this.off(event, fn);
  };

  Client.prototype.off = function (event, fn) {
    const list = this._listeners[event];
    if (list) {
      const i = list.indexOf(fn);
      if (i >= 0) {
        list.splice(i, 1);
      }
    }
  };

  Client.prototype._emit = function (event, arg) {
    const list = this._listeners[event];
    if (!list) {
      return;
    }
    list.slice().forEach((fn) => {
      try {
        fn(arg);
      } catch (e) {
        this._report(e, event === 'error');
      }
    });
  };

  /** A fault in application code (a handler or listener): surface it without breaking the client. */
  Client.prototype._report = function (e, fromErrorListener) {
    if (!fromErrorListener && this._listeners.error && this._listeners.error.length) {
      this._emit('error', e);
    } else {
      setTimeout(() => { throw e; }, 0);
    }
  };

  Client.prototype._setState = function (state) {
    this.state = state;
  };

  // ---- connection life cycle ----------------------------------------------------------------------------

  /** Opens the connection (no-op while connecting or connected). Returns this. */
  Client.prototype.connect = function () {
    if (this._wantOpen) {
      return this;
    }
    this._wantOpen = true;
    this._attempt = 0;
    if (typeof window !== 'undefined' && window.addEventListener) {
      window.addEventListener('online', this._onOnline);
    }
    this._open();
    return this;
  };

  /** Closes with 1000 and stops reconnecting. Subscriptions are kept: connect() again resubscribes them. */
  Client.prototype.close = function () {
    this._wantOpen = false;
    if (typeof window !== 'undefined' && window.removeEventListener) {
      window.removeEventListener('online', this._onOnline);
    }
    if (this._reconnectTimer !== null) {
      clearTimeout(this._reconnectTimer);
      this._reconnectTimer = null;
    }
    if (this._ws) {
      this._drop(1000, 'client closed', true);
    } else if (this.state !== 'closed') {
      this._finish();
    }
  };

  Client.prototype._open = function () {
    const Ctor = this.options.WebSocket || (typeof WebSocket !== 'undefined' ? WebSocket : null);
    if (!Ctor) {
      throw pushgateError('bad_option', 'pushgate: no WebSocket implementation');
    }
    this._setState('connecting');
    this._emit('connecting', { url: this.url, attempt: this._attempt });
    if (!this._wantOpen || this.state !== 'connecting') {
      return; // a listener closed us
    }
    let ws;
    try {
      ws = new Ctor(this.url);
    } catch (e) {
      this._emit('error', e);
      this._afterClose(1006, 'cannot open', false, false);
      return;
    }
    this._ws = ws;
    this._openedAt = Date.now();
    ws.onmessage = (ev) => {
      if (ws === this._ws) {
        this._lastReceived = Date.now();
        this._onFrame(ev.data);
      }
    };
    ws.onerror = () => {
      if (ws === this._ws) {
        this._emit('error', pushgateError('transport', 'websocket error'));
      }
    };
    ws.onclose = (ev) => {
      if (ws === this._ws) {
        this._detach();
        this._afterClose(ev.code, ev.reason, ev.wasClean, false);
      }
    };
    this._watchdog = setInterval(() => this._checkAlive(), Math.min(1000, this._deadAfter / 4));
  };

  Client.prototype._checkAlive = function () {
    const now = Date.now();
    if (this.state === 'connecting' && now - this._openedAt > this.options.connectTimeout) {
      this._drop(4000, 'connect timeout', false);
    } else if (this.state === 'connected' && now - this._lastReceived > this._deadAfter) {
      this._drop(4000, 'heartbeat timeout', false);
    }
  };

  /** Abandons the socket without waiting for a close handshake (the peer may be gone) and handles the close. */
  Client.prototype._drop = function (code, reason, byClient) {
    const ws = this._ws;
    this._detach();
    try {
      ws.close(1000, reason);
    } catch (ignored) {
      // already closing
    }
    this._afterClose(code, reason, false, byClient);
  };

  Client.prototype._detach = function () {
    const ws = this._ws;
    if (ws) {
      ws.onmessage = ws.onerror = ws.onclose = null;
    }
    this._ws = null;
    clearInterval(this._pingTimer);
    clearInterval(this._watchdog);
    this._pingTimer = this._watchdog = null;
  };

  Client.prototype._afterClose = function (code, reason, wasClean, byClient) {
    const wasConnected = this.state === 'connected';
    if (wasConnected && Date.now() - this._connectedAt >= STABLE_MS) {
      this._attempt = 0;
    }
    this.session = null;
    this._pending.forEach((entry) => {
      clearTimeout(entry.timer);
      if (entry.op === 'unsubscribe') {
        entry.resolve(); // the subscription is gone locally and will not be renewed
      } else if (entry.op !== 'subscribe') {
        entry.reject(pushgateError('disconnected', entry.op + ' interrupted: connection closed'));
      }
    });
    this._pending.clear();
    this._subs.forEach((sub) => {
      sub.acked = false;
      sub.inflight = null;
    });
    const terminal = isTerminalCloseCode(code);
    let delay = null;
    if (byClient || terminal || !this._wantOpen) {
      if (terminal) {
        this._wantOpen = false;
      }
      this._finish();
    } else {
      delay = this._scheduleReconnect(code);
    }
    this._emit('disconnected', {
      code: code, reason: reason || '', wasClean: !!wasClean, wasConnected: wasConnected,
      reconnect: delay !== null, delay: delay
    });
  };

  Client.prototype._finish = function () {
    this._setState('closed');
    this._subs.forEach((sub) => {
      const waiters = sub.waiters;
      sub.waiters = [];
      waiters.forEach((w) => w.reject(pushgateError('closed', 'client closed before the subscription was acknowledged')));
    });
  };

  Client.prototype._scheduleReconnect = function (code) {
    const o = this.options;
    const delay = SLOW_RETRY_CODES.indexOf(code) >= 0
      ? Math.floor(o.backoffCap / 2 + Math.random() * o.backoffCap / 2)
      : backoffDelay(this._attempt, o.backoffBase, o.backoffCap);
    this._attempt++;
    this._setState('disconnected');
    this._reconnectTimer = setTimeout(() => {
      this._reconnectTimer = null;
      if (this._wantOpen) {
        this._open();
      }
    }, delay);
    return delay;
  };

  // ---- inbound frames -----------------------------------------------------------------------------------

  Client.prototype._onFrame = function (text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      this._emit('error', pushgateError('bad_frame', 'server sent a frame that is not JSON'));
      return;
    }
    switch (msg && msg.op) {
      case 'connected': this._onConnected(msg); break;
      case 'message': this._onMessage(msg); break;
      case 'ack': this._settle(msg.id, null, msg); break;
      case 'error': this._onErrorFrame(msg); break;
      case 'gap': this._onGap(msg); break;
      default: break; // pong refreshed the liveness clock; unknown ops are ignored for forward compatibility
    }
  };

  Client.prototype._onConnected = function (msg) {
    if (this.state !== 'connecting') {
      return;
    }
    this.session = msg;
    if (typeof msg.ping === 'number' && msg.ping > 0) {
      const serverMs = msg.ping * 1000;
      this._pingEvery = Math.max(serverMs / 2, serverMs - 5000);
      this._deadAfter = serverMs + 5000;
    } else {
      this._pingEvery = this.options.pingInterval;
      this._deadAfter = this.options.pongTimeout;
    }
    clearInterval(this._watchdog);
    this._watchdog = setInterval(() => this._checkAlive(), Math.min(1000, this._deadAfter / 4));
    this._pingTimer = setInterval(() => this._ping(), this._pingEvery);
    this._connectedAt = Date.now();
    this._setState('connected');
    this._subs.forEach((sub, topic) => this._sendSubscribe(topic, sub));
    this._emit('connected', msg);
  };

  Client.prototype._ping = function () {
    const ws = this._ws;
    if (ws && ws.readyState === OPEN && ws.bufferedAmount === 0) {
      ws.send(JSON.stringify({ op: 'ping', id: this._nextId++ }));
    }
  };

  Client.prototype._onMessage = function (msg) {
    const sub = this._subs.get(msg.topic);
    if (!sub) {
      return; // unsubscribed while the message was on its way
    }
    const prevSeq = sub.lastSeq;
    if (typeof msg.seq === 'number') {
      if (sub.epoch !== null && sub.lastSeq !== null && msg.seq <= sub.lastSeq) {
        return; // already passed on (a replay overlapping what arrived before)
      }
      sub.lastSeq = msg.seq;
    }
    const meta = { topic: msg.topic, seq: msg.seq, prevSeq: prevSeq };
    sub.handlers.slice().forEach((handler) => {
      try {
        handler(msg.data, meta);
      } catch (e) {
        this._report(e, false);
      }
    });
  };

  /** The server could not deliver some messages of a topic: jump to its position and tell the page. */
  Client.prototype._onGap = function (msg) {
    const sub = this._subs.get(msg.topic);
    if (!sub) {
      return;
    }
    sub.epoch = typeof msg.epoch === 'string' ? msg.epoch : null;
    sub.lastSeq = typeof msg.seq === 'number' ? msg.seq : null;
    this._emit('gap', { topic: msg.topic, epoch: msg.epoch, seq: msg.seq });
  };

  Client.prototype._onErrorFrame = function (msg) {
    const err = pushgateError(msg.code || 'error', msg.message || msg.code || 'error');
    if (msg.id !== undefined && msg.id !== null && this._pending.has(msg.id)) {
      this._settle(msg.id, err, null);
    } else {
      this._emit('error', err);
    }
  };

  Client.prototype._settle = function (id, err, ack) {
    const entry = this._pending.get(id);
    if (!entry) {
      return;
    }
    this._pending.delete(id);
    clearTimeout(entry.timer);
    if (err) {
      entry.reject(err);
    } else {
      entry.resolve(ack);
    }
  };

  // ---- requests -----------------------------------------------------------------------------------------

  Client.prototype._send = function (op, fields, timeout) {
    if (this.state !== 'connected' || !this._ws) {
      return Promise.reject(pushgateError('disconnected', op + ' failed: not connected'));
    }
    const id = this._nextId++;
    const frame = JSON.stringify(Object.assign({ op: op, id: id }, fields));
    if (op === 'publish' && this._ws.bufferedAmount + frame.length > this.options.maxBufferedAmount) {
      return Promise.reject(pushgateError('backpressure', 'publish refused: ' + this._ws.bufferedAmount
        + ' bytes still waiting to be sent'));
    }
    return new Promise((resolve, reject) => {
      const entry = { op: op, topic: fields.topic, resolve: resolve, reject: reject, timer: null };
      if (timeout) {
        entry.timer = setTimeout(() => {
          this._pending.delete(id);
          reject(pushgateError('timeout', op + ' got no answer in ' + timeout + ' ms'));
        }, timeout);
      }
      this._pending.set(id, entry);
      this._ws.send(frame);
    });
  };

  /** Sends a subscribe for `topic` (only while connected); its answer is handled synchronously, frame by frame. */
  Client.prototype._sendSubscribe = function (topic, sub) {
    const renewal = sub.everAcked;
    const id = this._nextId++;
    sub.inflight = id;
    this._pending.set(id, {
      op: 'subscribe',
      topic: topic,
      timer: null,
      resolve: (ack) => {
        if (this._subs.get(topic) !== sub || sub.inflight !== id) {
          return; // unsubscribed meanwhile
        }
        const recovered = ack && typeof ack.recovered === 'boolean' ? ack.recovered : null;
        if (ack && typeof ack.epoch === 'string' && recovered !== true) {
          // A fresh start (or history could not cover the gap): continue from the server's position.
          sub.epoch = ack.epoch;
          sub.lastSeq = typeof ack.seq === 'number' ? ack.seq : null;
        }
        sub.acked = true;
        sub.everAcked = true;
        sub.inflight = null;
        const waiters = sub.waiters;
        sub.waiters = [];
        waiters.forEach((w) => w.resolve());
        this._emit('subscribed', { topic: topic, resubscribed: renewal });
        if (recovered !== null) {
          this._emit('recovered', { topic: topic, recovered: recovered, epoch: ack.epoch, seq: ack.seq });
        }
      },
      reject: (err) => {
        if (this._subs.get(topic) !== sub) {
          return;
        }
        this._subs.delete(topic);
        const waiters = sub.waiters;
        sub.waiters = [];
        waiters.forEach((w) => w.reject(err));
        if (renewal) {
          this._emit('error', err); // nobody waits on a promise for a resubscription
        }
      }
    });
    const frame = { op: 'subscribe', id: id, topic: topic };
    if (renewal && sub.epoch !== null && sub.lastSeq !== null) {
      frame.since = { epoch: sub.epoch, seq: sub.lastSeq };
    }
    this._ws.send(JSON.stringify(frame));
  };

  /**
   * Subscribes to `topic` and calls `onMessage(data, {topic, seq, prevSeq})` for each message. Resolves when
   * the server acknowledges (possibly after a reconnect), rejects with the server's error (the subscription
   * is then dropped). Subscribing again to the same topic adds another handler.
   */
  Client.prototype.subscribe = function (topic, onMessage) {
    if (typeof topic !== 'string' || !topic) {
      return Promise.reject(pushgateError('invalid_topic', 'topic must be a non-empty string'));
    }
    let sub = this._subs.get(topic);
    const fresh = !sub;
    if (fresh) {
      sub = { handlers: [], acked: false, inflight: null, waiters: [], lastSeq: null, epoch: null, everAcked: false };
      this._subs.set(topic, sub);
    }
    if (typeof onMessage === 'function') {
      sub.handlers.push(onMessage);
    }
    if (sub.acked) {
      return Promise.resolve();
    }
    const done = new Promise((resolve, reject) => sub.waiters.push({ resolve: resolve, reject: reject }));
    if (fresh && this.state === 'connected') {
      this._sendSubscribe(topic, sub);
    } else if (this.state === 'closed') {
      this._finish();
    }
    return done;
  };

  /**
   * Removes `onMessage` (or every handler when omitted) from `topic`; when none remain, tells the server.
   * Resolves once the server acknowledged, or at once when there is nothing to tell it.
   */
  Client.prototype.unsubscribe = function (topic, onMessage) {
    const sub = this._subs.get(topic);
    if (!sub) {
      return Promise.resolve();
    }
    if (typeof onMessage === 'function') {
      const i = sub.handlers.indexOf(onMessage);
      if (i >= 0) {
        sub.handlers.splice(i, 1);
      }
      if (sub.handlers.length) {
        return Promise.resolve();
      }
    }
    this._subs.delete(topic);
    const waiters = sub.waiters;
    sub.waiters = [];
    waiters.forEach((w) => w.reject(pushgateError('unsubscribed', 'unsubscribed before the server acknowledged')));
    if (this.state !== 'connected' || (!sub.acked && sub.inflight === null)) {
      return Promise.resolve();
    }
    return this._send('unsubscribe', { topic: topic }, this.options.requestTimeout).then(() => undefined);
  };

  /**
   * Publishes `data` (any JSON value) to `topic`. Resolves with the server's ack ({op:'ack', id, seq});
   * rejects with `disconnected` while not connected and with `backpressure` while more than
   * options.maxBufferedAmount bytes are waiting to be sent (see whenWritable()).
   */
  Client.prototype.publish = function (topic, data) {
    if (typeof topic !== 'string' || !topic) {
      return Promise.reject(pushgateError('invalid_topic', 'topic must be a non-empty string'));
    }
    return this._send('publish', { topic: topic, data: data === undefined ? null : data },
      this.options.requestTimeout);
  };

  /** Bytes queued in the socket and not yet sent (WebSocket.bufferedAmount); 0 when not connected. */
  Object.defineProperty(Client.prototype, 'bufferedAmount', {
    get: function () {
      return this._ws ? this._ws.bufferedAmount : 0;
    }
  });

  /** Resolves when at most `limit` bytes (default 0) wait to be sent; rejects `disconnected` if the socket goes. */
  Client.prototype.whenWritable = function (limit) {
    const max = typeof limit === 'number' ? limit : 0;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.state !== 'connected' || !this._ws) {
          reject(pushgateError('disconnected', 'not connected'));
        } else if (this._ws.bufferedAmount <= max) {
          resolve();
        } else {
          setTimeout(check, 20);
        }
      };
      check();
    });
  };

  /** The last `seq` received on `topic`, or null. */
  Client.prototype.lastSeq = function (topic) {
    const sub = this._subs.get(topic);
    return sub ? sub.lastSeq : null;
  };

  /** The position of `topic` the client would resubscribe from, {epoch, seq}, or null when it knows none. */
  Client.prototype.position = function (topic) {
    const sub = this._subs.get(topic);
    return sub && sub.epoch !== null && sub.lastSeq !== null ? { epoch: sub.epoch, seq: sub.lastSeq } : null;
  };

  /** The topics this client wants to be subscribed to. */
  Client.prototype.topics = function () {
    return Array.from(this._subs.keys());
  };

  return {
    Client: Client,
    /** Creates a client and connects it. */
    connect: function (options) {
      return new Client(options).connect();
    },
    isTerminalCloseCode: isTerminalCloseCode,
    backoffDelay: backoffDelay
  };
}));
