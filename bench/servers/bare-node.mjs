// The ceiling: node:http with no framework, answering the same JSON as GET /.
import { createServer } from 'node:http';

const body = JSON.stringify({
  service: 'backend',
  version: 'bare',
  status: 'ok',
  message: 'Hello from node:http',
});
createServer((_req, res) => {
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
