// Hocuspocus 4.7.0 in memory (no extensions) for the benchmark; prints its port.
// Installed in bench/room/node_modules (bench/room/package.json), not tests/js.
import { Server } from '@hocuspocus/server';
const server = new Server({ port: Number(process.env.PORT || 0), address: '127.0.0.1', quiet: true, stopOnSignals: true });
await server.listen();
console.log(`listening on port ${server.address.port}`);
