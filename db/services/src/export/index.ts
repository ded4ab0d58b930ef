// A city's whole data out and back in: the export format, the admin's download, the operator's restore.
export * from './format.ts';
export { exportCityJson, exportCitySqlite, exportText, readCity } from './export.ts';
export { listRestores, readExportFile, restoreTenant, RESTORE_UPLOAD } from './restore.ts';
export { documentToSqlite, sqliteToDocument } from './sqlite.ts';
