// Hocuspocus 4.7.0 in memory (no extensions) for the benchmark; prints its port.
import { requireJs } from './proto.mjs';
const { Server } = requireJs('@hocuspocus/server');
const server = new Server({ port: Number(process.env.PORT || 0), address: '127.0.0.1', quiet: true, stopOnSignals: true });
await server.listen();
console.log(`listening on port ${server.address.port}`);
