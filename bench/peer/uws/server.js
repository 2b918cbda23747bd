'use strict';
// The uWebSockets.js peer of the pushgate bench: uWS's own pub/sub (app.publish frames a message once and corks
// the writes of one loop turn per socket) fed by a Redis subscription, speaking the subset of pushgate's protocol
// the load generator uses, so `--target uws` reuses the pushgate dialect:
//   open:      <- {"op":"connected","client":"u-1","node":"uws-3100","version":1}
//   subscribe: -> {"op":"subscribe","id":1,"topic":"t"}          <- {"op":"ack","id":1}   (ws.subscribe(t))
//   publish:   -> {"op":"publish","id":2,"topic":"t","data":…}   <- {"op":"ack","id":2}   (Redis PUBLISH)
//   HTTP:      POST /api/publish  [{"topic":"t","data":…}, …]    -> 200 {"count":N}       (Redis PUBLISH each)
//   Redis:     PSUBSCRIBE <prefix>*, message {"data":…} on <prefix>t -> app.publish(t, {"op":"message","topic":"t","data":…})
// The Redis envelope and prefix are pushgate's, so the bench's `--publish redis` works against this peer too.
// Without --redis, publishes go straight to app.publish (one process only).
// Usage: node server.js [--port 3100] [--redis redis://127.0.0.1:6379] [--prefix pushgate:topic:]

const uWS = require('uWebSockets.js');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', process.env.PORT || 3100));
const redisUrl = arg('redis', process.env.REDIS_URL || '');
const prefix = arg('prefix', 'pushgate:topic:');
const maxBody = 16 * 1024 * 1024;
const node = 'uws-' + port;

let pub = null; // the Redis client used for PUBLISH, when --redis is given
let clients = 0;
const heads = new Map(); // topic -> '{"op":"message","topic":"t",'

function messageHead(topic) {
  let h = heads.get(topic);
  if (h === undefined) {
    h = '{"op":"message","topic":' + JSON.stringify(topic) + ',';
    heads.set(topic, h);
  }
  return h;
}

// envelope is '{"data":…}': the frame is the head followed by the envelope without its '{'.
function deliver(topic, envelope) {
  app.publish(topic, messageHead(topic) + envelope.slice(1), false, false);
}

function publish(topic, data) {
  const envelope = '{"data":' + JSON.stringify(data === undefined ? null : data) + '}';
  if (pub) {
    pub.publish(prefix + topic, envelope).catch((e) => console.error('redis publish failed:', e.message));
  } else {
    deliver(topic, envelope);
  }
}

const app = uWS.App();

app.ws('/ws', {
  compression: uWS.DISABLED,
  maxPayloadLength: 4 * 1024 * 1024,
  maxBackpressure: 16 * 1024 * 1024,
  idleTimeout: 120,
  sendPingsAutomatically: true,
  open: (ws) => {
    clients += 1;
    ws.send('{"op":"connected","client":"u-' + clients + '","node":"' + node + '","version":1}', false);
  },
  message: (ws, message) => {
    let m;
    try {
      m = JSON.parse(Buffer.from(message).toString('utf8'));
    } catch (e) {
      ws.end(1007, 'bad json');
      return;
    }
    const id = typeof m.id === 'number' ? m.id : 0;
    if (m.op === 'subscribe' && typeof m.topic === 'string' && m.topic.length > 0) {
      ws.subscribe(m.topic);
      ws.send('{"op":"ack","id":' + id + '}', false);
    } else if (m.op === 'unsubscribe' && typeof m.topic === 'string') {
      ws.unsubscribe(m.topic);
      ws.send('{"op":"ack","id":' + id + '}', false);
    } else if (m.op === 'publish' && typeof m.topic === 'string' && m.topic.length > 0) {
      publish(m.topic, m.data);
      ws.send('{"op":"ack","id":' + id + '}', false);
    } else if (m.op === 'ping') {
      ws.send('{"op":"pong","id":' + id + '}', false);
    } else {
      ws.send('{"op":"error","id":' + id + ',"code":"bad_request","message":"unknown op"}', false);
    }
  },
});

function reply(res, status, body) {
  res.cork(() => {
    res.writeStatus(status).writeHeader('content-type', 'application/json').end(body);
  });
}

app.post('/api/publish', (res) => {
  let aborted = false;
  let chunks = [];
  let size = 0;
  res.onAborted(() => { aborted = true; });
  res.onData((chunk, isLast) => {
    if (aborted) return;
    size += chunk.byteLength;
    if (size > maxBody) {
      aborted = true;
      reply(res, '413 Payload Too Large', '{"error":{"code":"too_large"}}');
      return;
    }
    chunks.push(Buffer.from(Buffer.from(chunk))); // copy: uWS reuses the chunk's memory after this callback
    if (!isLast) return;
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      reply(res, '400 Bad Request', '{"error":{"code":"bad_json"}}');
      return;
    }
    chunks = null;
    const items = Array.isArray(body) ? body : [body];
    for (const item of items) {
      if (!item || typeof item.topic !== 'string' || item.topic.length === 0) {
        reply(res, '400 Bad Request', '{"error":{"code":"bad_request"}}');
        return;
      }
    }
    for (const item of items) publish(item.topic, item.data);
    reply(res, '200 OK', '{"count":' + items.length + '}');
  });
});

app.get('/healthz', (res) => { res.end('ok\n'); });
app.any('/*', (res) => { reply(res, '404 Not Found', '{"error":{"code":"not_found"}}'); });

let listenSocket = null;

async function main() {
  if (redisUrl) {
    const { createClient } = require('redis');
    pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (e) => console.error('redis pub error:', e.message));
    sub.on('error', (e) => console.error('redis sub error:', e.message));
    await Promise.all([pub.connect(), sub.connect()]);
    await sub.pSubscribe(prefix + '*', (message, channel) => deliver(channel.slice(prefix.length), message));
  }
  app.listen(port, (token) => {
    if (!token) {
      console.error('uws peer cannot listen on ' + port);
      process.exit(1);
    }
    listenSocket = token;
    console.log(`uws peer listening on ${port} (redis: ${redisUrl || 'none'}, prefix ${prefix}, pid ${process.pid})`);
  });
}

function shutdown() {
  if (listenSocket) uWS.us_listen_socket_close(listenSocket);
  setTimeout(() => process.exit(0), 200).unref();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

main().catch((e) => {
  console.error('uws peer failed to start:', e);
  process.exit(1);
});
