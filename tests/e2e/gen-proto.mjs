// Generates JavaScript from ../../proto into gen/ (protoc + protoc-gen-es), used to decode the
// session frames the browser sees and by the fake server.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const protoDir = resolve(here, '..', '..', 'proto');
const out = join(here, 'gen');
const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto'));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(process.env.PROTOC ?? 'protoc', [
  `--plugin=protoc-gen-es=${join(here, 'node_modules', '.bin', 'protoc-gen-es')}`,
  `--es_out=${out}`, '--es_opt=target=js,import_extension=js', `-I${protoDir}`, ...protos,
], { stdio: 'inherit' });
