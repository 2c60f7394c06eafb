import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Integration and end-to-end tests run the built CLI and serve the built renderer;
// `npm test` builds first, and this says so plainly when someone runs vitest alone.
export default function setup(): void {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  if (!existsSync(cli)) {
    throw new Error(`${cli} is missing: run \`npm run build\` (or \`npm test\`, which builds first).`);
  }
}
