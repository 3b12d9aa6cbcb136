// The floor to compare the product with: plain node:http in its own process, answering every
// request with one constant response shaped like the product's (status, content-type, body size).
// The parent sets that shape over IPC before each scenario: { status, contentType, size }.
import { createServer } from 'node:http';

let response = { status: 200, headers: { 'content-type': 'text/plain', 'content-length': '0' }, body: Buffer.alloc(0) };

const server = createServer((req, res) => {
  // Read the request body (if any) before answering, as the product has to.
  req.resume();
  req.once('end', () => {
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  });
});
server.keepAliveTimeout = 65_000;

process.on('message', (msg) => {
  if (msg?.type !== 'shape') return;
  const body = Buffer.alloc(msg.size, 'x');
  const headers = { 'content-length': String(body.length) };
  if (msg.contentType) headers['content-type'] = msg.contentType;
  response = { status: msg.status, headers, body };
  process.send?.({ type: 'shaped' });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ type: 'listening' }));

// The parent going away (even by SIGKILL) closes the IPC channel: follow it.
process.on('disconnect', () => process.exit(0));
