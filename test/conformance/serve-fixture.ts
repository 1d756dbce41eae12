// Serves the conformance fixture on an ephemeral loopback port for manual runs of the suite:
//   node --import tsx test/conformance/serve-fixture.ts
import { startConformanceFixture } from './fixture-server.js';

const fixture = await startConformanceFixture();
console.log(fixture.url);
process.on('SIGINT', () => void fixture.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void fixture.close().then(() => process.exit(0)));
