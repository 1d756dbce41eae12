import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** One version of a package the stand-in serves: its package.json fields and its files (paths under package/). */
export interface StandInPackage {
  name: string;
  version: string;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  files: Record<string, string>;
}

export interface NpmRegistryStandIn {
  url: string;
  /** Paths requested, in order (packuments and tarballs). */
  requests: string[];
  /** From now on, requests get no answer until `release()`: a registry that hangs. */
  hold(): void;
  /** Answers the requests held (those whose client is still there) and every later one. */
  release(): void;
  /** Requests held now whose client is still connected. */
  readonly held: number;
  close(): Promise<void>;
}

/**
 * A real npm registry as far as npm install/exec/view go: packuments at /<name> (scoped: /@scope%2fname) and gzipped
 * tarballs, with shasum and sha512 integrity. Loopback only; an unknown package is a 404 like the real registry's.
 */
export async function startNpmRegistryStandIn(packages: StandInPackage[]): Promise<NpmRegistryStandIn> {
  const requests: string[] = [];
  const tarballs = new Map<string, Buffer>();
  let base = '';
  const packuments = () => {
    const byName = new Map<string, Record<string, unknown>>();
    for (const pkg of packages) {
      const tarPath = `/${pkg.name}/-/${pkg.name.split('/').at(-1)}-${pkg.version}.tgz`;
      const manifest = { name: pkg.name, version: pkg.version, ...(pkg.bin ? { bin: pkg.bin } : {}), dependencies: pkg.dependencies ?? {} };
      const tgz = tarballs.get(tarPath) ?? packTarball({ 'package.json': JSON.stringify(manifest, null, 2), ...pkg.files });
      tarballs.set(tarPath, tgz);
      const doc = byName.get(pkg.name) ?? { name: pkg.name, 'dist-tags': {}, versions: {} };
      (doc['dist-tags'] as Record<string, string>).latest = pkg.version;
      (doc.versions as Record<string, unknown>)[pkg.version] = {
        ...manifest,
        _id: `${pkg.name}@${pkg.version}`,
        dist: {
          tarball: `${base}${tarPath}`,
          shasum: createHash('sha1').update(tgz).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
        },
      };
      byName.set(pkg.name, doc);
    }
    return byName;
  };
  let holding = false;
  const held = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    if (!holding) return answer(req, res);
    const go = () => {
      held.delete(go);
      answer(req, res);
    };
    held.add(go);
    res.on('close', () => held.delete(go));
  });
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    const docs = packuments();
    const tgz = tarballs.get(path);
    if (tgz) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tgz.length });
      return res.end(tgz);
    }
    const doc = docs.get(path.slice(1));
    if (doc) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(doc));
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Not found' }));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    requests,
    hold: () => void (holding = true),
    release() {
      holding = false;
      for (const go of [...held]) go();
    },
    get held() {
      return held.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A gzipped ustar archive with every file under package/, as `npm pack` makes them. */
function packTarball(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    const header = Buffer.alloc(512);
    const put = (value: string, offset: number, length: number) => header.write(value, offset, length, 'ascii');
    put(`package/${name}`, 0, 100);
    put('0000755\0', 100, 8);
    put('0000000\0', 108, 8);
    put('0000000\0', 116, 8);
    put(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 12);
    put(`${Math.floor(Date.UTC(2026, 0, 1) / 1000).toString(8).padStart(11, '0')}\0`, 136, 12);
    put('        ', 148, 8);
    put('0', 156, 1);
    put('ustar\0', 257, 6);
    put('00', 263, 2);
    let sum = 0;
    for (const byte of header) sum += byte;
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
