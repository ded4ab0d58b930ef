// The API's reference page (/v1/reference): the OpenAPI document as plain HTML, rendered on the
// server from the document itself, so it says exactly what /v1/openapi.json says. No script, no
// stylesheet from elsewhere: it reads the same offline, in a terminal browser or a city's intranet.

interface Parameter {
	name: string;
	in: string;
	required?: boolean;
	description?: string;
	schema?: { type?: string | string[]; enum?: unknown[] };
}
interface Operation {
	summary?: string;
	description?: string;
	tags?: string[];
	parameters?: Parameter[];
	security?: unknown[];
	responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
}
export interface Document {
	openapi: string;
	info: { title: string; version: string; description?: string };
	paths?: Record<string, Record<string, Operation> | undefined>;
}

const escape = (text: string) =>
	text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

function operationHtml(path: string, method: string, op: Operation): string {
	const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-');
	const params = (op.parameters ?? [])
		.map((p) => {
			const type = [p.schema?.type, p.schema?.enum ? `(${p.schema.enum.join(' | ')})` : '']
				.flat()
				.filter(Boolean)
				.join(' ');
			return `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${escape(type)}</td><td>${p.required ? '必須 required' : ''}</td><td>${escape(p.description ?? '')}</td></tr>`;
		})
		.join('');
	const responses = Object.entries(op.responses ?? {})
		.map(
			([status, r]) =>
				`<li><strong>${escape(status)}</strong> ${escape(r.description ?? '')} <small>${escape(Object.keys(r.content ?? {}).join(', '))}</small></li>`
		)
		.join('');
	return `<section id="${id}">
<h3><code>${method.toUpperCase()} ${escape(path)}</code></h3>
${op.summary ? `<p>${escape(op.summary)}</p>` : ''}${op.description ? `<p>${escape(op.description)}</p>` : ''}
${op.security?.length ? '<p>認証 Authentication: <code>Authorization: Bearer …</code></p>' : ''}
${params ? `<table><caption>パラメータ Parameters</caption><thead><tr><th>name</th><th>in</th><th>type</th><th></th><th>description</th></tr></thead><tbody>${params}</tbody></table>` : ''}
<p>応答 Responses</p><ul>${responses}</ul>
</section>`;
}

export function referencePage(document: Document): string {
	const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
		METHODS.flatMap((m) => (item?.[m] ? [{ path, method: m, op: item[m] }] : []))
	);
	const toc = operations
		.map(
			({ path, method, op }) =>
				`<li><a href="#${`${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-')}"><code>${method.toUpperCase()} ${escape(path)}</code></a> ${escape(op.summary ?? '')}</li>`
		)
		.join('');
	return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)} リファレンス · Reference</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.5; color: #1a1a1a; }
code { font-size: 0.95em; } table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: bold; } section { border-top: 1px solid #ccc; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
<h1>${escape(document.info.title)} <small>v${escape(document.info.version)} · OpenAPI ${escape(document.openapi)}</small></h1>
${document.info.description ? `<p>${escape(document.info.description)}</p>` : ''}
<p>機械可読な定義 Machine-readable: <a href="/v1/openapi.json"><code>/v1/openapi.json</code></a></p>
<h2>操作一覧 Operations</h2>
<ul>${toc}</ul>
${operations.map(({ path, method, op }) => operationHtml(path, method, op)).join('\n')}
</main>
</body>
</html>
`;
}
