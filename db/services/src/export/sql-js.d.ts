// sql.js's asm.js build (see sqlite.ts) has the same API as its package entry point.
declare module 'sql.js/dist/sql-asm-memory-growth.js' {
	import initSqlJs from 'sql.js';
	export default initSqlJs;
}
