// Container HEALTHCHECK probe: no curl or wget in the image, node is enough.
// Exits 0 when GET /healthz answers 200; 1 on any other status, on a connection error,
// or after 2 s without a byte from the server.
//
// CommonJS and node:http on purpose: Docker starts this every 5 s inside the backend's
// own CPU quota, and a CommonJS entry with node:http costs about a third of the CPU of
// an ES module that calls fetch (Node 24: ~43 ms against ~120 ms per start), because
// neither the ES module loader nor fetch's HTTP client has to be loaded.
import http = require('node:http');

const port = Number(process.env.PORT ?? 5000);
const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
  process.exit(res.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => process.exit(1));
request.on('error', () => process.exit(1));
