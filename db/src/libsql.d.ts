// `#libsql` resolves to @libsql/client/web under workerd and to @libsql/client under Node
// (see "imports" in package.json); both export the same createClient.
declare module '#libsql' {
	export * from '@libsql/client';
}
