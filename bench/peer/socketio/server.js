'use strict';
// The Socket.IO peer of the pushgate bench: the same job as the gateway, done the usual Socket.IO way.
//   subscribe: emit("subscribe", topic, ack)            -> socket joins room `topic`, ack({ok:true})
//   publish:   emit("publish", {topic, data}, ack)      -> io.to(topic).emit("message", {topic, data}), ack({ok:true})
//   HTTP:      POST /publish  {topic, data} or [{topic, data}, ...]  -> 200 {"ok":true,"count":N}
// With REDIS_URL set, rooms span every peer process through @socket.io/redis-adapter; without it, one process.
// Usage: node server.js [--port 3000] [--redis redis://127.0.0.1:6379]   (env PORT / REDIS_URL work too)

const http = require('http');
const { Server } = require('socket.io');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', process.env.PORT || 3000));
const redisUrl = arg('redis', process.env.REDIS_URL || '');
const maxBody = 16 * 1024 * 1024;
// Engine.IO heartbeat; the defaults are Socket.IO's (25 s / 20 s). Short values help test a client's pong handling.
const pingInterval = Number(process.env.PING_INTERVAL_MS || 25000);
const pingTimeout = Number(process.env.PING_TIMEOUT_MS || 20000);

const httpServer = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/publish') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not_found"}');
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > maxBody) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end('{"error":"too_large"}');
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"bad_json"}');
      return;
    }
    const items = Array.isArray(body) ? body : [body];
    for (const item of items) {
      if (!item || typeof item.topic !== 'string') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":"bad_request"}');
        return;
      }
    }
    for (const item of items) {
      io.to(item.topic).emit('message', { topic: item.topic, data: item.data });
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, count: items.length }));
  });
});

const io = new Server(httpServer, {
  transports: ['websocket'],
  pingInterval,
  pingTimeout,
  perMessageDeflate: false,
  serveClient: false,
  maxHttpBufferSize: 4 * 1024 * 1024,
});

io.on('connection', (socket) => {
  socket.on('subscribe', (topic, ack) => {
    if (typeof topic !== 'string' || topic.length === 0) {
      if (typeof ack === 'function') ack({ ok: false, error: 'bad_topic' });
      return;
    }
    socket.join(topic);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('unsubscribe', (topic, ack) => {
    socket.leave(topic);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('publish', (msg, ack) => {
    if (!msg || typeof msg.topic !== 'string') {
      if (typeof ack === 'function') ack({ ok: false, error: 'bad_request' });
      return;
    }
    io.to(msg.topic).emit('message', { topic: msg.topic, data: msg.data });
    if (typeof ack === 'function') ack({ ok: true });
  });
});

async function main() {
  if (redisUrl) {
    const { createClient } = require('redis');
    const { createAdapter } = require('@socket.io/redis-adapter');
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (e) => console.error('redis pub error:', e.message));
    sub.on('error', (e) => console.error('redis sub error:', e.message));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
  }
  httpServer.listen(port, () => {
    console.log(`socket.io peer listening on ${port} (adapter: ${redisUrl ? 'redis ' + redisUrl : 'in-memory'}, pid ${process.pid})`);
  });
}

function shutdown() {
  io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

main().catch((e) => {
  console.error('peer failed to start:', e);
  process.exit(1);
});
