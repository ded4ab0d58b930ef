// npm run sqld — the local libSQL server in the foreground (Ctrl-C stops it).
import { startSqld } from '../src/node.ts';

const server = await startSqld({
	dataDir: process.env.MAMORI_DATA_DIR ?? '.data/sqld',
	httpPort: Number(process.env.SQLD_HTTP_PORT ?? 8080),
	adminPort: Number(process.env.SQLD_ADMIN_PORT ?? 9090)
});
console.log(`sqld: ${server.httpUrl} (admin ${server.adminUrl})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
	process.on(signal, () => void server.stop().then(() => process.exit(0)));
