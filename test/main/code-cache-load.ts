// One load of a CommonJS file through the code cache, in a process of its own as every start
// of `vigil serve` is (within one process V8 answers a second compile of the same source from
// memory and never looks at the cache). argv: file, the cache as JSON or "null", "save" to
// write the cache after the load. Prints what happened as one JSON line.
import { loadCommonJs, type CodeCache } from '../../main/code-cache';

const [file, cacheJson, save] = process.argv.slice(2) as [string, string, string | undefined];
const loaded = loadCommonJs<{ count(): number; label: string; strict: boolean }>(file, JSON.parse(cacheJson) as CodeCache | null);
const count = loaded.exports.count();
const saved = save === 'save' ? loaded.save() : null;
process.stdout.write(`${JSON.stringify({ cache: loaded.cache, count, label: loaded.exports.label, strict: loaded.exports.strict, saved })}\n`);
