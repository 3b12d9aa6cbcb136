// The floor for /download/<path>: plain node:http in its own process answering every request with
// one constant 302, with a Location and a Link header as long as the product's. The parent sends
// { location, link } over IPC and waits for "ready".
import { createServer } from 'node:http';

let headers = { location: '/', 'content-length': '0' };

const server = createServer((req, res) => {
  req.resume();
  req.once('end', () => {
    res.writeHead(302, headers);
    res.end();
  });
});
server.keepAliveTimeout = 65_000;

process.on('message', (msg) => {
  if (msg?.type !== 'shape') return;
  headers = { location: msg.location, link: msg.link, 'content-length': '0' };
  process.send?.({ type: 'shaped' });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ type: 'listening' }));
process.on('disconnect', () => process.exit(0));
