/*
 * pushgate browser client: topic subscriptions, publish, keep-alive and reconnect with jittered exponential backoff,
 * over a WebSocket, Server-Sent Events or long-polling (falling back in that order). No dependencies; load it as a
 * plain <script> (window.Pushgate) or require() it (module.exports). Types: /client.d.ts. API: README.md.
 *
 *   const client = new Pushgate.Client();            // ws(s)://<this host>/ws, then /sse, then /poll
 *   client.on('connected', (e) => e.transport);      // also: connecting, disconnected, subscribed, error,
 *                                                    //       recovered, gap, join, leave, expiring, skipped
 *   client.subscribe('chat.lobby', (data, meta) => ...);  // meta: {topic, seq, prevSeq}
 *   client.connect();
 *   client.publish('chat.lobby', {user: 'ann', text: 'hi'}).then((ack) => ack.seq, (err) => err.code);
 *
 * Requests (subscribe, unsubscribe, publish) return Promises settled by the server's answer (resolve) or error
 * (reject with an Error whose `.code` is the server's error code). Client-side failures use the codes
 * `disconnected`, `timeout`, `backpressure`, `unsubscribed` and `closed`. On SSE and long-poll, publish is an HTTP
 * `POST /api/client/publish`.
 *
 * Recovery: on a WebSocket the client keeps each topic's position (the epoch from the subscribe ack or a `gap`, and
 * the seq of the last message) and resubscribes after a reconnect with `since`; on SSE and long-poll it keeps the
 * server's position token (the event id / `since`) and sends it back. After a reconnect it emits `recovered`
 * {topic, recovered, epoch, seq}: with recovered false nothing was replayed (history no longer holds it) and the page
 * should re-read its state. `gap` {topic, epoch, seq} means the server could not deliver some messages (re-read
 * state too). Messages at or below the known position are not passed on twice.
 *
 * Transports: `transport: 'auto'` (default) tries the WebSocket; when it cannot connect (or closes before the
 * server's `connected`) while the gateway answers over HTTP, it falls back to SSE, then to long-poll, and every
 * `upgradeInterval` ms it tries the better transport again. 'websocket', 'sse' or 'poll' force one.
 *
 * Stops reconnecting (state 'closed', console.error) on: close codes 4500-4999 (4501 reconnects when getToken
 * can give a new token), 1002, 1003, 1007, 1008, 1009 (protocol or policy problems, see protocol/PROTOCOL.md); a
 * handshake the gateway refuses (this page's origin not allowed, HTTP 401/403), reported as code 1008; a forced
 * transport the gateway does not serve; close() (1000).
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
  const TERMINAL_CODES = [1002, 1003, 1007, 1008, 1009];
  const TRANSPORTS = ['websocket', 'sse', 'poll'];
  /** The close code reported for a handshake the gateway refused (origin, token) and a transport it lacks. */
  const REFUSED = 1008;
  /** A long-poll still unanswered after this long is held by the gateway: nothing to replay, subscribed. */
  const POLL_HELD_MS = 1000;

  const DEFAULTS = {
    url: null,               // default ws(s)://<location.host>/ws; a path like '/ws' is resolved against the page
    transport: 'auto',       // 'auto' (websocket, then sse, then poll), 'websocket', 'sse' or 'poll'
    sseUrl: null,            // default http(s)://<host of url>/sse
    pollUrl: null,           // default http(s)://<host of url>/poll
    publishUrl: null,        // default http(s)://<host of url>/api/client/publish (publish when not on a WebSocket)
    token: null,             // a connection token (JWT) ...
    getToken: null,          // ... or a function returning one (or a Promise of one): on every connect and `expiring`
    pingInterval: 25000,     // send {"op":"ping"} this often (ms) ...
    pongTimeout: 35000,      // ... and reconnect when no frame at all arrived for this long (ms)
    connectTimeout: 10000,   // from opening the socket to the server's `connected` frame (ms)
    pollTimeout: 40000,      // a long-poll without an answer for this long is abandoned (server holds up to 25 s)
    upgradeInterval: 60000,  // on a fallback transport, try the better one again this often (ms)
    backoffBase: 500,
    backoffCap: 20000,
    requestTimeout: 15000,   // publish / unsubscribe without an answer (ms)
    maxBufferedAmount: 1048576, // publish rejects with `backpressure` while more bytes than this wait to be sent
    WebSocket: null,         // a WebSocket constructor; default the global one
    EventSource: null,       // an EventSource constructor; default the global one
    fetch: null              // a fetch function; default the global one
  };

  function pushgateError(code, message) {
    const err = new Error(message || code);
    err.code = code;
    return err;
  }

  /** Whether a close code means "do not reconnect" (4501 does reconnect when a getToken callback can renew it). */
  function isTerminalCloseCode(code) {
    return (code >= 4500 && code <= 4999) || TERMINAL_CODES.indexOf(code) >= 0;
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

  /** The http(s) URL of `path` on the host of the ws(s) URL `wsUrl` (or `given` resolved against the page). */
  function httpUrl(wsUrl, given, path) {
    const base = new URL(wsUrl);
    base.protocol = base.protocol === 'wss:' ? 'https:' : 'http:';
    if (given) {
      return new URL(given, typeof location !== 'undefined' && location.host ? location.href : base.href).href;
    }
    return base.origin + path;
  }

  function withParams(url, params) {
    const u = new URL(url);
    params.forEach((p) => u.searchParams.append(p[0], p[1]));
    return u.href;
  }

  function Client(options) {
    if (!(this instanceof Client)) {
      return new Client(options);
    }
    this.options = Object.assign({}, DEFAULTS, options || {});
    this.url = resolveUrl(this.options.url);
    const forced = this.options.transport || 'auto';
    if (forced !== 'auto' && TRANSPORTS.indexOf(forced) < 0) {
      throw pushgateError('bad_option', "pushgate: transport must be 'auto', 'websocket', 'sse' or 'poll', not '"
        + forced + "'");
    }
    this._order = forced === 'auto' ? TRANSPORTS.slice() : [forced];
    this.sseUrl = httpUrl(this.url, this.options.sseUrl, '/sse');
    this.pollUrl = httpUrl(this.url, this.options.pollUrl, '/poll');
    this.publishUrl = httpUrl(this.url, this.options.publishUrl, '/api/client/publish');
    /** 'disconnected' (idle or waiting to reconnect), 'connecting', 'connected' or 'closed' (terminal). */
    this.state = 'disconnected';
    /** The transport in use or being tried: 'websocket', 'sse' or 'poll'. */
    this.transport = this._order[0];
    /** The server's `connected` frame while connected on a WebSocket ({transport} on the others), else null. */
    this.session = null;
    this._tier = 0;              // index into _order of the transport in use
    this._downgradedAt = 0;
    this._driver = null;
    this._ws = null;
    this._wantOpen = false;
    this._nextId = 1;
    this._pending = new Map();   // request id -> {op, topic, resolve, reject, timer}
    this._subs = new Map();      // topic -> {handlers, acked, inflight, waiters, lastSeq, epoch, everAcked}
    this._cursor = null;         // SSE / long-poll: {token}, the server's position token (the same for both)
    this._listeners = {};
    this._attempt = 0;
    this._connectedAt = 0;
    this._lastReceived = 0;
    this._openedAt = 0;
    this._pingEvery = this.options.pingInterval;
    this._deadAfter = this.options.pongTimeout;
    this._reconnectTimer = null;
    this._upgradeTimer = null;
    this._pingTimer = null;
    this._watchdog = null;
    this._currentToken = this.options.token || null;
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
   * recovered, gap, join, leave, expiring, skipped, error.
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

  /** Closes (1000 on a WebSocket) and stops reconnecting. Subscriptions are kept: connect() again resubscribes. */
  Client.prototype.close = function () {
    this._wantOpen = false;
    if (typeof window !== 'undefined' && window.removeEventListener) {
      window.removeEventListener('online', this._onOnline);
    }
    if (this._reconnectTimer !== null) {
      clearTimeout(this._reconnectTimer);
      this._reconnectTimer = null;
    }
    if (this._ws || this._driver) {
      this._drop(1000, 'client closed', true);
    } else if (this.state !== 'closed') {
      this._finish();
    }
  };

  /** The token for the next connect: getToken() when given (may return a Promise), else the `token` option. */
  Client.prototype._token = function () {
    const get = this.options.getToken;
    if (typeof get !== 'function') {
      return Promise.resolve(this._currentToken);
    }
    return Promise.resolve().then(() => get()).then((token) => {
      this._currentToken = token || null;
      return this._currentToken;
    });
  };

  Client.prototype._open = function () {
    this.transport = this._order[this._tier];
    this._setState('connecting');
    this._emit('connecting', { url: this._transportUrl(), attempt: this._attempt, transport: this.transport });
    if (!this._wantOpen || this.state !== 'connecting') {
      return; // a listener closed us
    }
    const generation = this._generation = (this._generation || 0) + 1;
    const start = (token) => {
      if (generation !== this._generation || !this._wantOpen || this.state !== 'connecting') {
        return;
      }
      if (this.transport === 'websocket') {
        this._openWebSocket(token);
      } else {
        this._driver = this.transport === 'sse' ? new SseDriver(this, token) : new PollDriver(this, token);
        this._openedAt = Date.now();
        this._driver.open();
      }
    };
    if (typeof this.options.getToken !== 'function') {
      start(this._currentToken); // synchronously: the socket exists when connect() returns
      return;
    }
    this._token().then(start, (e) => {
      if (generation === this._generation) {
        this._emit('error', pushgateError('token', 'getToken failed: ' + (e && e.message ? e.message : e)));
        this._afterClose(1006, 'no token', false, false, 'unreachable');
      }
    });
  };

  Client.prototype._transportUrl = function () {
    return this.transport === 'websocket' ? this.url : this.transport === 'sse' ? this.sseUrl : this.pollUrl;
  };

  Client.prototype._openWebSocket = function (token) {
    const Ctor = this.options.WebSocket || (typeof WebSocket !== 'undefined' ? WebSocket : null);
    if (!Ctor) {
      if (this._order.length > 1) {
        this._afterClose(1006, 'no WebSocket implementation', false, false, 'missing');
      } else {
        this._terminal(REFUSED, 'no WebSocket implementation', 'bad_option',
          'pushgate: no WebSocket implementation in this environment');
      }
      return;
    }
    let ws;
    try {
      ws = new Ctor(token ? withParams(this.url, [['token', token]]) : this.url);
    } catch (e) {
      this._emit('error', e);
      this._afterClose(1006, 'cannot open', false, false, 'reachable');
      return;
    }
    this._ws = ws;
    this._wsOpened = false;
    this._openedAt = Date.now();
    ws.onopen = () => {
      if (ws === this._ws) {
        this._wsOpened = true;
      }
    };
    ws.onmessage = (ev) => {
      if (ws === this._ws) {
        this._wsOpened = true;
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
        const opened = this._wsOpened;
        this._detach();
        if (!opened && this.state === 'connecting') {
          // Failed before the handshake completed: the browser hides why, so ask the gateway over HTTP.
          this._diagnose(this.url.replace(/^ws/i, 'http'), null, ev.code, ev.reason);
        } else {
          this._afterClose(ev.code, ev.reason, ev.wasClean, false, 'reachable');
        }
      }
    };
    this._watchdog = setInterval(() => this._checkAlive(), Math.min(1000, this._deadAfter / 4));
  };

  /**
   * A transport failed before it connected: find out whether the gateway refused this page (403/401, or a CORS
   * refusal of a server that answers), lacks the endpoint (404/405), or is unreachable, and act on it.
   * `status` is the HTTP status when the transport saw one (long-poll), else null (the URL is probed).
   */
  Client.prototype._diagnose = function (url, status, code, reason) {
    const generation = this._generation;
    const decide = (verdict, httpStatus) => {
      if (generation !== this._generation || !this._wantOpen) {
        return;
      }
      const where = this.transport + ' at ' + url.split('?')[0];
      if (verdict === 'refused' && httpStatus === 401 && typeof this.options.getToken === 'function') {
        this._afterClose(code || 1006, 'token refused', false, false, 'unreachable'); // next attempt: a new token
      } else if (verdict === 'refused') {
        const origin = typeof location !== 'undefined' ? location.origin : '?';
        this._terminal(REFUSED, 'handshake refused', httpStatus === 401 ? 'unauthorized' : 'forbidden',
          'pushgate: the gateway refused the connection (' + where + (httpStatus ? ', HTTP ' + httpStatus : '')
          + (httpStatus === 401 ? '): the connection token was refused'
            : '): is this page\'s origin ' + origin + ' in ws.allowed-origins?') + ' Not reconnecting.');
      } else if (verdict === 'bad_position' && !this._cursor) {
        this._terminal(REFUSED, 'request refused', 'bad_request', 'pushgate: the gateway refused the request ('
          + where + ', HTTP 400): check the topics. Not reconnecting.');
      } else if (verdict === 'missing' && this._order.length === 1) {
        this._terminal(REFUSED, 'transport not served', 'unsupported_transport',
          'pushgate: the gateway does not serve ' + where + ' (HTTP ' + httpStatus + '). Not reconnecting.');
      } else {
        this._afterClose(code || 1006, reason || '', false, false, verdict);
      }
    };
    if (status !== null) {
      decide(classify(status), status);
      return;
    }
    probe(this._fetch(), url).then((r) => decide(r.verdict, r.status), () => decide('unreachable', 0));
  };

  function classify(status) {
    if (status === 401 || status === 403) {
      return 'refused';
    }
    if (status === 404 || status === 405 || status === 501) {
      return 'missing';
    }
    if (status === 429 || status === 503) {
      return 'busy';
    }
    if (status === 400) {
      return 'bad_position';
    }
    return status > 0 ? 'reachable' : 'unreachable';
  }

  /**
   * Asks `url` over HTTP what went wrong. A readable answer gives its status; a CORS failure of a server that does
   * answer (a no-cors request goes through, and a second CORS request fails again) means it does not accept this
   * page's origin; a failure otherwise means the network or the gateway is down. The second CORS request is there
   * because a gateway restarting on the same port can be down for the first request and up for the second: that is
   * not a refusal, and taking it for one would stop the page for good.
   */
  function probe(fetchFn, url) {
    if (!fetchFn) {
      return Promise.resolve({ verdict: 'reachable', status: 0 });
    }
    const unreachable = () => ({ verdict: 'unreachable', status: 0 });
    const ask = (mode) => {
      const abort = typeof AbortController !== 'undefined' ? new AbortController() : null;
      const init = { mode: mode, cache: 'no-store', credentials: 'omit', signal: abort ? abort.signal : undefined };
      return fetchFn(url, init).then((res) => {
        if (abort) {
          abort.abort(); // an SSE endpoint would go on streaming
        }
        return res;
      });
    };
    const answered = (res) => ({ verdict: res.status === 426 ? 'reachable' : classify(res.status), status: res.status });
    if (sameOrigin(url)) {
      return ask('cors').then(answered, unreachable); // CORS does not apply: a failure is the network
    }
    return ask('cors').then(answered,
      () => ask('no-cors').then(
        () => ask('cors').then(answered, () => ({ verdict: 'refused', status: 0 })),
        unreachable));
  }

  function sameOrigin(url) {
    if (typeof location === 'undefined' || typeof URL !== 'function') {
      return false;
    }
    try {
      return new URL(url, location.href).origin === location.origin;
    } catch (e) {
      return false;
    }
  }

  Client.prototype._fetch = function () {
    if (this.options.fetch) {
      return this.options.fetch;
    }
    return typeof fetch === 'function' ? fetch.bind(typeof window !== 'undefined' ? window : undefined) : null;
  };

  /** Stops for good with a console error the developer can act on, an `error` event and `disconnected`. */
  Client.prototype._terminal = function (code, reason, errorCode, message) {
    if (typeof console !== 'undefined' && console.error) {
      console.error(message);
    }
    this._emit('error', pushgateError(errorCode, message));
    this._wantOpen = false;
    this._afterClose(code, reason, false, false, 'terminal');
  };

  Client.prototype._checkAlive = function () {
    const now = Date.now();
    if (this.state === 'connecting' && now - this._openedAt > this.options.connectTimeout) {
      this._drop(4000, 'connect timeout', false);
    } else if (this.state === 'connected' && now - this._lastReceived > this._deadAfter) {
      this._drop(4000, 'heartbeat timeout', false);
    }
  };

  /** Abandons the transport without waiting for a close handshake (the peer may be gone) and handles the close. */
  Client.prototype._drop = function (code, reason, byClient) {
    const ws = this._ws;
    const driver = this._driver;
    this._detach();
    if (ws) {
      try {
        ws.close(1000, reason);
      } catch (ignored) {
        // already closing
      }
    }
    if (driver) {
      driver.stop();
    }
    this._afterClose(code, reason, false, byClient, 'reachable');
  };

  Client.prototype._detach = function () {
    const ws = this._ws;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    }
    this._ws = null;
    if (this._driver) {
      this._driver.stop();
      this._driver = null;
    }
    clearInterval(this._pingTimer);
    clearInterval(this._watchdog);
    clearTimeout(this._upgradeTimer);
    this._pingTimer = this._watchdog = this._upgradeTimer = null;
  };

  /**
   * Cleans up after a transport closed and decides what next. `verdict` says why a transport that never connected
   * failed: 'reachable' (the gateway answers HTTP, this transport does not get through: try the next one),
   * 'missing' (the endpoint does not exist: next one), 'bad_position' (the position token was refused: start
   * afresh), 'unreachable' (back off and try the same again), 'terminal'.
   */
  Client.prototype._afterClose = function (code, reason, wasClean, byClient, verdict) {
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
    const renewable = code === 4501 && typeof this.options.getToken === 'function';
    const terminal = verdict === 'terminal' || (isTerminalCloseCode(code) && !renewable);
    let delay = null;
    if (byClient || terminal || !this._wantOpen) {
      if (terminal) {
        this._wantOpen = false;
      }
      this._finish();
    } else {
      delay = this._scheduleReconnect(wasConnected, verdict);
    }
    this._emit('disconnected', {
      code: code, reason: reason || '', wasClean: !!wasClean, wasConnected: wasConnected, transport: this.transport,
      willReconnect: delay !== null, reconnect: delay !== null, delay: delay
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

  Client.prototype._scheduleReconnect = function (wasConnected, verdict) {
    const o = this.options;
    let delay;
    if (!wasConnected && (verdict === 'reachable' || verdict === 'missing') && this._tier + 1 < this._order.length) {
      // This transport does not get through but the gateway answers: the next one, soon (jittered, no storm).
      this._tier++;
      this._downgradedAt = Date.now();
      delay = backoffDelay(0, o.backoffBase, o.backoffCap);
    } else {
      if (verdict === 'bad_position') {
        this._cursor = null;
      }
      if (this._tier > 0 && Date.now() - this._downgradedAt >= o.upgradeInterval) {
        this._tier = 0; // time to try the better transport again
      } else if (!wasConnected && this._tier > 0 && this._tier + 1 >= this._order.length) {
        this._tier = 0; // nothing got through: start again from the best one
      }
      delay = backoffDelay(this._attempt, o.backoffBase, o.backoffCap);
      this._attempt++;
    }
    this._setState('disconnected');
    this._reconnectTimer = setTimeout(() => {
      this._reconnectTimer = null;
      if (this._wantOpen) {
        this._open();
      }
    }, delay);
    return delay;
  };

  /** Connected on any transport: timers, resubscriptions, the `connected` event, the upgrade probe. */
  Client.prototype._onTransportConnected = function (hello) {
    this.session = hello;
    this._connectedAt = Date.now();
    this._lastReceived = Date.now();
    this._setState('connected');
    this._emit('connected', Object.assign({}, hello, { transport: this.transport }));
    if (this._tier > 0 && this._order.length > 1) {
      this._scheduleUpgrade();
    }
  };

  /** On a fallback: every upgradeInterval, see whether the WebSocket gets through now; if so, switch to it. */
  Client.prototype._scheduleUpgrade = function () {
    clearTimeout(this._upgradeTimer);
    this._upgradeTimer = setTimeout(() => {
      this._upgradeTimer = null;
      if (this.state !== 'connected' || this._tier === 0) {
        return;
      }
      const Ctor = this.options.WebSocket || (typeof WebSocket !== 'undefined' ? WebSocket : null);
      let probeSocket;
      try {
        const token = this._currentToken;
        probeSocket = new Ctor(token ? withParams(this.url, [['token', token]]) : this.url);
      } catch (e) {
        this._scheduleUpgrade();
        return;
      }
      const done = (works) => {
        probeSocket.onmessage = probeSocket.onclose = probeSocket.onerror = null;
        try {
          probeSocket.close(1000, 'probe');
        } catch (ignored) {
          // closing anyway
        }
        if (this.state !== 'connected' || this._tier === 0) {
          return;
        }
        if (works) {
          this._tier = 0;
          this._drop(1000, 'switching to websocket', false);
        } else {
          this._scheduleUpgrade();
        }
      };
      probeSocket.onmessage = (ev) => done(/"op"\s*:\s*"connected"/.test(String(ev.data)));
      probeSocket.onclose = () => done(false);
    }, this.options.upgradeInterval);
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
      case 'ack': this._settle(msg.id, null, msg); break;
      case 'error': this._onErrorFrame(msg); break;
      case 'expiring': this._onExpiring(msg); break;
      default: this._onPush(msg); break;
    }
  };

  /** Frames every transport delivers: message, gap, join, leave, skipped. Unknown ops are ignored. */
  Client.prototype._onPush = function (msg) {
    switch (msg && msg.op) {
      case 'message': this._onMessage(msg); break;
      case 'gap': this._onGap(msg); break;
      case 'join':
      case 'leave':
        if (this._subs.has(msg.topic)) {
          this._emit(msg.op, { topic: msg.topic, member: msg.member });
        }
        break;
      case 'skipped': this._emit('skipped', { topics: msg.topics || {} }); break;
      case 'expiring': this._onExpiring(msg); break;
      default: break; // pong refreshed the liveness clock; unknown ops are ignored for forward compatibility
    }
  };

  /** The token runs out in `in` seconds: tell the page, and refresh it when getToken can give a new one. */
  Client.prototype._onExpiring = function (msg) {
    this._emit('expiring', { in: msg.in });
    if (typeof this.options.getToken !== 'function') {
      return;
    }
    const ws = this._ws;
    const driver = this._driver;
    this._token().then((token) => {
      if (token && ws && ws === this._ws && this.state === 'connected') {
        this._send('refresh', { token: token }, this.options.requestTimeout)
          .catch((err) => this._emit('error', err));
      } else if (token && driver && driver === this._driver) {
        driver.refresh(token);
      }
    }, (e) => this._emit('error', pushgateError('token', 'getToken failed: ' + (e && e.message ? e.message : e))));
  };

  Client.prototype._onConnected = function (msg) {
    if (this.state !== 'connecting') {
      return;
    }
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
    this._setState('connected');
    this._subs.forEach((sub, topic) => this._sendSubscribe(topic, sub));
    this._onTransportConnected(msg);
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
    if (typeof msg.epoch === 'string' && msg.epoch !== sub.epoch) {
      sub.epoch = msg.epoch;
      sub.lastSeq = null;
    }
    if (typeof msg.seq === 'number') {
      if (sub.lastSeq !== null && msg.seq <= sub.lastSeq && (sub.epoch !== null || this.transport !== 'websocket')) {
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
        this._subscribed(topic, sub, renewal);
        if (recovered !== null) {
          this._emit('recovered', { topic: topic, recovered: recovered, epoch: ack.epoch, seq: ack.seq });
        } else if (renewal && sub.sinceLost) {
          this._emit('recovered', { topic: topic, recovered: false, epoch: sub.epoch, seq: sub.lastSeq });
        }
        sub.sinceLost = false;
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
    } else if (renewal) {
      sub.sinceLost = true; // no position to resume from (e.g. after SSE without epochs): the page must re-read
    }
    this._ws.send(JSON.stringify(frame));
  };

  /** The subscription is active: settle the waiters and tell the page. */
  Client.prototype._subscribed = function (topic, sub, renewal) {
    sub.acked = true;
    sub.everAcked = true;
    sub.inflight = null;
    const waiters = sub.waiters;
    sub.waiters = [];
    waiters.forEach((w) => w.resolve());
    this._emit('subscribed', { topic: topic, resubscribed: renewal });
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
      if (this._ws) {
        this._sendSubscribe(topic, sub);
      } else if (this._driver) {
        this._driver.topicsChanged();
      }
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
    if (this.state === 'connected' && this._driver) {
      this._driver.topicsChanged();
      return Promise.resolve();
    }
    if (this.state !== 'connected' || (!sub.acked && sub.inflight === null)) {
      return Promise.resolve();
    }
    return this._send('unsubscribe', { topic: topic }, this.options.requestTimeout).then(() => undefined);
  };

  /**
   * Publishes `data` (any JSON value) to `topic`. Resolves with the server's ack ({op:'ack', id, seq}; over HTTP
   * the JSON answer of POST /api/client/publish); rejects with `disconnected` while not connected and, on a
   * WebSocket, with `backpressure` while more than options.maxBufferedAmount bytes wait to be sent.
   */
  Client.prototype.publish = function (topic, data) {
    if (typeof topic !== 'string' || !topic) {
      return Promise.reject(pushgateError('invalid_topic', 'topic must be a non-empty string'));
    }
    const body = { topic: topic, data: data === undefined ? null : data };
    if (this.state === 'connected' && this._driver) {
      // One POST at a time, so publications keep their order as on a WebSocket.
      const result = (this._publishChain || Promise.resolve()).then(() => this._publishOverHttp(body));
      this._publishChain = result.then(() => undefined, () => undefined);
      return result;
    }
    return this._send('publish', body, this.options.requestTimeout);
  };

  Client.prototype._publishOverHttp = function (body) {
    const fetchFn = this._fetch();
    const headers = { 'Content-Type': 'application/json' };
    if (this._currentToken) {
      headers.Authorization = 'Bearer ' + this._currentToken;
    }
    const timeout = this.options.requestTimeout;
    const abort = typeof AbortController !== 'undefined' ? new AbortController() : null;
    const timer = abort ? setTimeout(() => abort.abort(), timeout) : null;
    return fetchFn(this.publishUrl, {
      method: 'POST', headers: headers, body: JSON.stringify(body), cache: 'no-store', credentials: 'omit',
      signal: abort ? abort.signal : undefined
    }).then((res) => res.text().then((text) => {
      clearTimeout(timer);
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch (ignored) {
        // not JSON: described by the status below
      }
      if (!res.ok) {
        const e = json && json.error ? json.error : {};
        throw pushgateError(e.code || 'http_' + res.status, e.message || 'publish failed: HTTP ' + res.status);
      }
      return Object.assign({ op: 'ack' }, json || {});
    }), (e) => {
      clearTimeout(timer);
      throw abort && abort.signal.aborted ? pushgateError('timeout', 'publish got no answer in ' + timeout + ' ms')
        : pushgateError('disconnected', 'publish failed: ' + (e && e.message ? e.message : e));
    });
  };

  /** Bytes queued in the socket and not yet sent (WebSocket.bufferedAmount); 0 when not on a WebSocket. */
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
        if (this.state !== 'connected' || (!this._ws && !this._driver)) {
          reject(pushgateError('disconnected', 'not connected'));
        } else if (!this._ws || this._ws.bufferedAmount <= max) {
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

  // ---- HTTP transports ----------------------------------------------------------------------------------

  /**
   * Shared by SSE and long-poll: after (re)connecting with a position token, the first answer tells per topic
   * whether the stream resumed (`gap` first: not recovered). Emits `recovered` for the topics it resumed.
   */
  function resumeReport(client, resumed, gapTopics) {
    if (!resumed) {
      return;
    }
    client._subs.forEach((sub, topic) => {
      if (sub.resumable) {
        const ok = gapTopics.indexOf(topic) < 0;
        client._emit('recovered', { topic: topic, recovered: ok, epoch: sub.epoch, seq: sub.lastSeq });
      }
      sub.resumable = false;
    });
  }

  /** The topics to ask for, marking which of them the position token covers (resumable). */
  function requestTopics(client, resumed) {
    const topics = [];
    client._subs.forEach((sub, topic) => {
      topics.push(topic);
      sub.resumable = resumed && sub.everAcked && (sub.coveredBy === client._cursor);
      sub.lost = !sub.acked && sub.everAcked && !sub.resumable;
      if (!sub.acked && !sub.resumable) {
        sub.epoch = null; // a fresh start: the server's positions may have another epoch
        sub.lastSeq = null;
      }
    });
    return topics;
  }

  /** The request is answered: every topic in it is subscribed; renewals without a position are not recovered. */
  function markSubscribed(client) {
    client._subs.forEach((sub, topic) => {
      if (!sub.acked) {
        client._subscribed(topic, sub, sub.everAcked);
        if (sub.lost) {
          sub.lost = false;
          client._emit('recovered', { topic: topic, recovered: false, epoch: null, seq: null });
        }
      }
      sub.coveredBy = client._cursor;
    });
  }

  /**
   * Server-Sent Events: `GET /sse?topic=..&topic=..[&lastEventId=TOKEN][&token=JWT]`, one EventSource at a time.
   * Each event's data is a server frame: per topic an `ack` (its position and, when resuming, `recovered`; a `gap`
   * before it when recovery was impossible), then `message`s; the event id is the position token.
   */
  function SseDriver(client, token) {
    this.client = client;
    this.token = token;
    this.source = null;
    this.stopped = false;
    this.connected = false;
  }

  SseDriver.prototype.url = function () {
    const c = this.client;
    const resumed = !!c._cursor;
    const params = requestTopics(c, resumed).map((t) => ['topic', t]);
    if (resumed) {
      params.push(['lastEventId', c._cursor.token]);
    }
    if (this.token) {
      params.push(['token', this.token]);
    }
    return withParams(c.sseUrl, params);
  };

  SseDriver.prototype.open = function () {
    const c = this.client;
    const Ctor = c.options.EventSource || (typeof EventSource !== 'undefined' ? EventSource : null);
    if (!Ctor) {
      c._driver = null;
      c._afterClose(1006, 'no EventSource', false, false, 'missing');
      return;
    }
    if (!c._subs.size) {
      this.idle(); // nothing to stream: no request open until a subscribe
      return;
    }
    const url = this.url();
    const source = this.source = new Ctor(url);
    source.onopen = () => {
      if (source !== this.source || this.stopped) {
        return;
      }
      c._lastReceived = Date.now();
      if (!this.connected) {
        this.connected = true;
        c._onTransportConnected({ transport: 'sse' });
      }
    };
    const onEvent = (ev) => {
      if (source !== this.source || this.stopped) {
        return;
      }
      c._lastReceived = Date.now();
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (e) {
        c._emit('error', pushgateError('bad_frame', 'server sent an event that is not JSON'));
        return;
      }
      if (msg && !msg.op && ev.type && ev.type !== 'message') {
        msg.op = ev.type;
      }
      if (ev.lastEventId) {
        c._cursor = { token: ev.lastEventId };
        c._subs.forEach((sub) => { sub.coveredBy = c._cursor; });
      }
      if (msg && msg.op === 'ack') {
        this.onAck(msg);
      } else if (msg && msg.op === 'error') {
        c._emit('error', pushgateError(msg.code || 'error', msg.message || msg.code || 'error'));
      } else {
        c._onPush(msg);
      }
    };
    source.onmessage = onEvent;
    ['gap', 'join', 'leave', 'skipped', 'expiring'].forEach((name) => source.addEventListener(name, onEvent));
    source.onerror = () => {
      if (source !== this.source || this.stopped) {
        return;
      }
      // Close it ourselves: reconnect with our backoff (not EventSource's fixed retry), resuming from the last id.
      const wasConnected = this.connected;
      this.stop();
      c._driver = null;
      c._detach();
      if (wasConnected) {
        c._afterClose(1006, 'stream ended', false, false, 'reachable');
      } else {
        c._diagnose(url, null, 1006, 'stream failed');
      }
    };
  };

  /** Without topics the transport is up without a request (publish works over HTTP). */
  SseDriver.prototype.idle = function () {
    if (!this.connected) {
      this.connected = true;
      this.client._onTransportConnected({ transport: this.client.transport });
    }
  };

  /** A topic's subscription started: like a WebSocket subscribe ack (position, recovered). */
  SseDriver.prototype.onAck = function (ack) {
    const c = this.client;
    const sub = c._subs.get(ack.topic);
    if (!sub) {
      return;
    }
    const recovered = typeof ack.recovered === 'boolean' ? ack.recovered : null;
    if (typeof ack.epoch === 'string' && recovered !== true) {
      sub.epoch = ack.epoch;
      sub.lastSeq = typeof ack.seq === 'number' ? ack.seq : null;
    }
    if (sub.acked) {
      // the stream was reopened for another topic set: only a loss is news
      if (recovered === false) {
        c._emit('recovered', { topic: ack.topic, recovered: false, epoch: ack.epoch, seq: ack.seq });
      }
      return;
    }
    const renewal = sub.everAcked;
    c._subscribed(ack.topic, sub, renewal);
    if (recovered !== null || renewal) {
      c._emit('recovered', { topic: ack.topic, recovered: recovered === true, epoch: ack.epoch, seq: ack.seq });
    }
  };

  /** The topic set changed: reopen the stream for the new set, resuming from the last position token. */
  SseDriver.prototype.topicsChanged = function () {
    if (this.stopped || this.reopening) {
      return;
    }
    this.reopening = true;
    Promise.resolve().then(() => {
      this.reopening = false;
      if (this.stopped) {
        return;
      }
      this.closeSource();
      this.open();
    });
  };

  /** A new token: the next stream uses it (EventSource cannot change it on an open stream). */
  SseDriver.prototype.refresh = function (token) {
    this.token = token;
    this.topicsChanged();
  };

  SseDriver.prototype.closeSource = function () {
    if (this.source) {
      this.source.onopen = this.source.onmessage = this.source.onerror = null;
      this.source.close();
      this.source = null;
    }
  };

  SseDriver.prototype.stop = function () {
    this.stopped = true;
    this.closeSource();
  };

  /**
   * Long-polling: `GET /poll?topic=..&topic=..[&since=TOKEN]` answering {"messages":[...],"since":"TOKEN2"}, one
   * request at a time, the next one sent as soon as an answer arrives.
   */
  function PollDriver(client, token) {
    this.client = client;
    this.token = token;
    this.stopped = false;
    this.connected = false;
    this.abort = null;
    this.timer = null;
  }

  PollDriver.prototype.open = function () {
    this.poll();
  };

  PollDriver.prototype.poll = function () {
    const c = this.client;
    const fetchFn = c._fetch();
    if (!fetchFn) {
      c._driver = null;
      c._afterClose(1006, 'no fetch', false, false, 'missing');
      return;
    }
    if (!c._subs.size) {
      SseDriver.prototype.idle.call(this); // nothing to poll for until a subscribe
      return;
    }
    const resumed = !!c._cursor;
    const params = requestTopics(c, resumed && !this.connected).map((t) => ['topic', t]);
    if (resumed) {
      params.push(['since', c._cursor.token]);
    }
    const url = withParams(c.pollUrl, params);
    const headers = {};
    if (this.token) {
      headers.Authorization = 'Bearer ' + this.token;
    }
    const abort = this.abort = typeof AbortController !== 'undefined' ? new AbortController() : null;
    this.timer = abort ? setTimeout(() => abort.abort(), c.options.pollTimeout) : null;
    const state = { reporting: resumed && !this.connected, settled: false };
    // The gateway answers at once when a poll brings a replay or a gap, and when it has no `since`. A poll still
    // in flight after a moment is therefore held: its topics are subscribed and resumed with nothing missed.
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      if (!this.stopped && abort === this.abort) {
        this.settle(state, []);
      }
    }, POLL_HELD_MS);
    fetchFn(url, { headers: headers, cache: 'no-store', credentials: 'omit', signal: abort ? abort.signal : undefined })
      .then((res) => {
        if (!res.ok) {
          return { status: res.status };
        }
        return res.json().then((body) => ({ status: res.status, body: body }));
      })
      .then((answer) => {
        clearTimeout(this.timer);
        clearTimeout(this.graceTimer);
        if (this.stopped || abort !== this.abort) {
          return;
        }
        if (!answer.body) {
          this.fail(url, answer.status);
          return;
        }
        this.deliver(answer.body, state);
        if (!this.stopped) {
          this.poll();
        }
      }, () => {
        clearTimeout(this.timer);
        clearTimeout(this.graceTimer);
        if (this.stopped || abort !== this.abort) {
          return;
        }
        this.fail(url, null);
      });
  };

  PollDriver.prototype.deliver = function (body, state) {
    const c = this.client;
    c._lastReceived = Date.now();
    if (typeof body.since === 'string') {
      c._cursor = { token: body.since };
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const gapTopics = [];
    messages.forEach((m) => {
      if (m && m.op === 'gap') {
        gapTopics.push(m.topic);
      }
    });
    this.settle(state, gapTopics);
    messages.forEach((msg) => {
      if (!this.stopped && msg) {
        c._onPush(msg);
      }
    });
  };

  /** The poll's topics are subscribed (answered, or held): once per poll. */
  PollDriver.prototype.settle = function (state, gapTopics) {
    const c = this.client;
    if (state.settled) {
      return;
    }
    state.settled = true;
    markSubscribed(c);
    if (!this.connected) {
      this.connected = true;
      c._onTransportConnected({ transport: 'poll' });
    }
    resumeReport(c, state.reporting, gapTopics);
  };

  PollDriver.prototype.fail = function (url, status) {
    const c = this.client;
    const wasConnected = this.connected;
    this.stop();
    c._driver = null;
    c._detach();
    if (wasConnected && (status === null || classify(status) === 'reachable')) {
      c._afterClose(1006, status === null ? 'poll failed' : 'HTTP ' + status, false, false, 'reachable');
    } else {
      c._diagnose(url, status, 1006, status === null ? 'poll failed' : 'HTTP ' + status);
    }
  };

  /** The topic set changed: abandon the poll in flight and ask again for the new set from the same token. */
  PollDriver.prototype.topicsChanged = function () {
    if (this.stopped || this.restarting) {
      return;
    }
    this.restarting = true;
    Promise.resolve().then(() => {
      this.restarting = false;
      if (this.stopped) {
        return;
      }
      this.cancel();
      this.poll();
    });
  };

  PollDriver.prototype.refresh = function (token) {
    this.token = token;
  };

  PollDriver.prototype.cancel = function () {
    clearTimeout(this.timer);
    clearTimeout(this.graceTimer);
    const abort = this.abort;
    this.abort = null;
    if (abort) {
      abort.abort();
    }
  };

  PollDriver.prototype.stop = function () {
    this.stopped = true;
    this.cancel();
  };

  return {
    Client: Client,
    /** Creates a client and connects it. */
    connect: function (options) {
      return new Client(options).connect();
    },
    isTerminalCloseCode: isTerminalCloseCode,
    backoffDelay: backoffDelay,
    transports: TRANSPORTS.slice()
  };
}));
