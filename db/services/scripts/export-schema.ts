// npm run export:schema — writes docs/export-format.schema.json from the export format
// (db/services/src/export/format.ts). A test fails while the committed file differs.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportJsonSchema } from '../src/export/format.ts';

const file = fileURLToPath(new URL('../../../docs/export-format.schema.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(exportJsonSchema(), null, '\t')}\n`);
console.log(`wrote ${file}`);
