// Generates TypeScript from ../proto/*.proto into src/gen/ with Debian's protoc and
// @bufbuild/protoc-gen-es, so the client always matches the server's schema.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const protoDir = resolve(root, '..', 'proto');
const out = join(root, 'src', 'gen');
const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto'));
if (protos.length === 0) throw new Error(`no .proto files in ${protoDir}`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const plugin = join(root, 'node_modules', '.bin', 'protoc-gen-es');
execFileSync(
  process.env.PROTOC ?? 'protoc',
  [`--plugin=protoc-gen-es=${plugin}`, `--es_out=${out}`, '--es_opt=target=ts,import_extension=none', `-I${protoDir}`, ...protos],
  { stdio: 'inherit' },
);
console.log(`gen: ${protos.join(', ')} -> src/gen/`);
