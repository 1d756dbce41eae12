// The floor of a Node gateway, for comparison only: Streamable HTTP in (JSON answers, no sessions, no auth, no
// logging), one stdio MCP server out, request ids remapped so many clients can share it. What any hub written on
// node:http pays per call before doing anything of its own.
// Usage: node bench/bare-relay.mjs <port> -- <command> [args...]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

const [port, separator, command, ...args] = process.argv.slice(2);
if (!port || separator !== '--' || !command) {
  process.stderr.write('usage: bare-relay.mjs <port> -- <command> [args...]\n');
  process.exit(2);
}
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
const waiting = new Map();
let nextId = 1;
createInterface({ input: child.stdout }).on('line', (line) => {
  const message = JSON.parse(line);
  const pending = waiting.get(message.id);
  if (!pending) return; // the server's own notifications and requests: nobody to deliver them to here
  waiting.delete(message.id);
  message.id = pending.id;
  const body = JSON.stringify(message);
  pending.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
});
createServer((req, res) => {
  // No GET stream (the SDK client takes 405 as "none") and no sessions to end.
  if (req.method !== 'POST') return void res.writeHead(405).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString());
    if (message.id === undefined) {
      child.stdin.write(JSON.stringify(message) + '\n');
      res.writeHead(202).end();
      return;
    }
    const id = nextId++;
    waiting.set(id, { id: message.id, res });
    child.stdin.write(JSON.stringify({ ...message, id }) + '\n');
  });
}).listen(Number(port), '127.0.0.1', () => process.stderr.write(`relay listening on ${port}\n`));
