// A fleet of fake mirrors in one child process for the probe-sweep scenario: every mirror serves
// TIME, the BaseOS repomd.xml and the bench ISO's HEAD; the "dead" ones accept connections and
// never answer (the worst case for a prober: each costs the full per-mirror timeout).
// Started by the scenario with fork(); replies { type: 'listening', ports: [...] } over IPC.
import { createServer } from 'node:http';

const count = Number(process.env.FLEET_SIZE ?? 500);
const deadEvery = Number(process.env.FLEET_DEAD_EVERY ?? 20);
const time = Number(process.env.FLEET_TIME ?? Math.floor(Date.now() / 1000));
const repomd = Buffer.from(process.env.FLEET_REPOMD ?? '<repomd/>');
const isoPath = `/${process.env.FLEET_ISO ?? 'x.iso'}`;
const isoSize = process.env.FLEET_ISO_SIZE ?? '0';

function handler(dead) {
  return (req, res) => {
    if (dead) return; // hold the connection open until the prober gives up
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/TIME') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(`${time}\n`);
    }
    if (path.endsWith('/repodata/repomd.xml')) {
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': repomd.length });
      return res.end(repomd);
    }
    if (path === isoPath) {
      res.writeHead(200, { 'content-length': isoSize });
      return res.end();
    }
    res.writeHead(404);
    res.end();
  };
}

const ports = [];
for (let i = 0; i < count; i++) {
  const server = createServer(handler(deadEvery > 0 && i % deadEvery === deadEvery - 1));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  ports.push(server.address().port);
}
process.send?.({ type: 'listening', ports });
process.on('disconnect', () => process.exit(0));
