// A plan document (plain text or Markdown, as extracted from a PDF) → a proposed plan. Three
// passes of small general rules:
//   1. lines.ts classifies each line by its own shape (heading with its numbering family, table
//      row, bullet, section label, key：value, tab-separated row, text);
//   2. the structure pass here walks the lines once: headings open nodes (a numbering family's
//      level is the order in which families first appear; a heading repeated later reopens its
//      node), section labels (施策の概要, 成果指標, 現状と課題, 主な取組, 関連計画) say what the
//      following lines are, and three table shapes are read — a Markdown table (one row per node
//      or initiative, year columns → records, 【課】 blocks → one record per department), a table
//      flattened into lines (a column header block of year headings, 担当課 and 番号, then one
//      numbered entry per initiative whose paragraphs fill the year columns in order), and a KPI
//      table (指標 | 現状値 | 目標値 [| ↑↓]);
//   3. the values pass (finish): numbers with units in records (numbers.ts), 現状と課題 figures
//      with their year, KPI periods (an unprinted baseline year is the latest year the document
//      cites, marked inferred), department spellings merged, categories suggested.
// Every non-empty line no rule consumed is listed in `unplaced` with its number.
import { suggestCategories } from './categories.ts';
import { classify, headingOf, type Line, type Section } from './lines.ts';
import { numbersIn, valueCell } from './numbers.ts';
import type {
	DocumentProposal,
	Measured,
	Phase,
	ProposedInitiative,
	ProposedKpi,
	ProposedNode,
	ProposedRecord,
	RecordColumns
} from './types.ts';
import { documentEra, withYearPlaceholder, yearsIn, type Period } from './years.ts';

export const DEFAULT_LEVEL_LABEL = '分野';
export const DEFAULT_INITIATIVE_LABEL = '取組';

interface Column {
	year: number;
	inferred?: true;
	phase: Phase;
	label: string;
}

const norm = (s: string) => s.normalize('NFKC').replace(/[\s\u3000]/g, '');
const BR = /<br\s*\/?>/i;
const DEPT_END = /(部|課|室|係|センター|担当|事務所|局|署|所)$/;
const REF = /^[ア-ン]?[①-⑳]+$|^[ア-ン]$/;

function phaseOf(label: string): Phase {
	if (/予定|計画|目標/.test(label)) return 'plan';
	if (/概要/.test(label)) return 'summary';
	return 'actual';
}

function similar(a: string, b: string): boolean {
	const x = norm(a);
	const y = norm(b);
	if (x === y) return true;
	if (x.length !== y.length || x.length < 6) return false;
	let diff = 0;
	for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diff++;
	return diff <= 2;
}

function planKind(title: string): 'plan' | 'guideline' | 'report' {
	if (/について$|取組み?等?$|報告|実績|評価/.test(title)) return 'report';
	if (/指針/.test(title)) return 'guideline';
	return 'plan';
}

/** The year column a heading names: 平成30年度の取組み → {2018, actual, "{year}の取組み"}. */
function columnOf(header: string, era: number): Column | null {
	const fy = yearsIn(header, era).find((y) => y.kind === 'fiscal_year');
	if (!fy) return null;
	const label = withYearPlaceholder(header.replace(BR, ' '), fy);
	return { year: fy.year, ...(fy.inferred ? { inferred: true as const } : {}), phase: phaseOf(label), label };
}

function columnsLabels(columns: Column[]): RecordColumns {
	const out: RecordColumns = {};
	for (const c of columns) out[c.phase] ??= c.label;
	return out;
}

const sameColumns = (a: RecordColumns | undefined, b: RecordColumns) => JSON.stringify(a ?? {}) === JSON.stringify(b);

export function parsePlanDocument(source: string, taxonomyCodes: ReadonlySet<string>): DocumentProposal {
	const lines = classify(source.slice(0, 1_000_000));
	const era = documentEra(source);
	const placed = new Set<number>();
	const place = (...ls: Line[]) => ls.forEach((l) => placed.add(l.no));
	const proposal: DocumentProposal = {
		plan: { title: '', kind: 'plan', levelLabels: [], initiativeLabel: '', references: [] },
		departments: [],
		nodes: [],
		unplaced: [],
		messages: []
	};
	const departmentSeen: { name: string; parent?: string }[] = [];
	const addDepartment = (name: string, parent?: string) => {
		departmentSeen.push(parent ? { name, parent } : { name });
		return name;
	};
	const families = new Map<string, number>();
	const levelWords = new Map<number, string>();
	const stack: ProposedNode[] = [];
	let section: Section | null = null;
	let initiative: ProposedInitiative | null = null;
	let columns: Column[] | null = null;
	let kpiHeader: { cols: string[]; periods: (Measured | undefined)[] } | null = null;
	const nodeLines = new Map<ProposedNode, Line[]>();
	const kpiLines = new Set<number>();
	let levelLabelFromTable: string | null = null;
	let initiativeLabel: string | null = null;

	// Short lines printed more than once (page headers of a flattened table: 取組事業).
	const counts = new Map<string, number>();
	for (const l of lines)
		if (l.kind === 'text' && l.text.length <= 8 && !/[。、，．（）()「」［］【】]/.test(l.text) && !REF.test(l.text))
			counts.set(l.text, (counts.get(l.text) ?? 0) + 1);
	const repeated = (l: Line) => l.kind === 'text' && (counts.get(l.text) ?? 0) >= 2;

	// The title: the first non-empty line, without its marker (■, #) or attachment number (別紙２).
	const first = lines.find((l) => l.kind !== 'blank');
	if (first && ['text', 'bullet', 'heading'].includes(first.kind) && !(first.kind === 'heading' && first.code)) {
		proposal.plan.title = first.text
			.replace(/^[#■□◆◇●\s]+/, '')
			.replace(/^(別紙|資料|様式|別添)\s*[0-9０-９]*[\s\u3000]+/, '')
			.trim();
		place(first);
	}

	const current = () => stack[stack.length - 1];
	const openNode = (family: string, code: string, title: string, line: Line, levelWord?: string): ProposedNode => {
		if (!families.has(family)) families.set(family, families.size);
		const level = Math.min(families.get(family)!, stack.length);
		if (levelWord) levelWords.set(level, levelWord);
		stack.length = level;
		const siblings = level === 0 ? proposal.nodes : stack[level - 1]!.children;
		let node = siblings.find((n) => (n.code ?? '') === code && norm(n.title) === norm(title));
		if (!node) {
			node = {
				line: line.no,
				...(code ? { code } : {}),
				title,
				children: [],
				initiatives: [],
				indicators: [],
				statistics: []
			};
			siblings.push(node);
		}
		stack.push(node);
		section = null;
		initiative = null;
		kpiHeader = null;
		return node;
	};
	const ensureNode = (line: Line) =>
		current() ?? openNode('implicit', '', proposal.plan.title || line.text.slice(0, 50), line);
	const note = (node: ProposedNode, l: Line) => {
		const list = nodeLines.get(node) ?? [];
		list.push(l);
		nodeLines.set(node, list);
	};
	const addInitiative = (node: ProposedNode, title: string, line: Line, code?: string): ProposedInitiative => {
		const ini: ProposedInitiative = {
			line: line.no,
			...(code ? { code } : {}),
			title,
			departments: [],
			categories: [],
			records: []
		};
		node.initiatives.push(ini);
		return ini;
	};

	/** A department cell of a table: one name per line, 【全庁】 a note, （室） a unit of the one before. */
	const departmentCell = (cell: string, ini: ProposedInitiative) => {
		for (const raw of cell.split(BR)) {
			let item = raw.trim();
			const notes = item.match(/【[^】]*】/g);
			if (notes) {
				ini.departmentNote = notes.join('');
				item = item.replace(/【[^】]*】/g, '').trim();
			}
			if (!item) continue;
			const unit = /^[（(](.+)[)）]$/.exec(item);
			const before = ini.departments[ini.departments.length - 1];
			if (unit && before) {
				ini.departments[ini.departments.length - 1] = addDepartment(unit[1]!, before);
			} else ini.departments.push(addDepartment(item));
		}
	};

	/** A year cell: lines, a 【課】 line opening that department's record. */
	const recordsOfCell = (cell: string, column: Column, line: Line): ProposedRecord[] => {
		const out: ProposedRecord[] = [];
		let rec: ProposedRecord | null = null;
		for (const raw of cell.split(BR)) {
			const item = raw.replace(/^[ \t]+|[ \t]+$/g, '');
			if (!item) continue;
			const block = /^【([^】]+)】$/.exec(item);
			if (block) {
				rec = {
					line: line.no,
					fiscalYear: column.year,
					phase: column.phase,
					department: block[1]!,
					text: '',
					metrics: []
				};
				if (column.inferred) rec.yearInferred = true;
				out.push(rec);
				continue;
			}
			if (!rec) {
				rec = { line: line.no, fiscalYear: column.year, phase: column.phase, text: '', metrics: [] };
				if (column.inferred) rec.yearInferred = true;
				out.push(rec);
			}
			rec.text = rec.text ? `${rec.text}\n${item}` : item;
		}
		return out.filter((r) => r.text);
	};

	// --- Markdown tables -------------------------------------------------------------------
	const cellsOf = (l: Line) =>
		l.text
			.replace(/^\|/, '')
			.replace(/\|$/, '')
			.split('|')
			.map((c) => c.trim());

	function kpiRow(cells: string[], header: { cols: string[]; periods: (Measured | undefined)[] }, line: Line) {
		const col = (re: RegExp) => header.cols.findIndex((h) => re.test(h));
		const nameCol = Math.max(0, col(/指標|項目|名称/));
		const baseCol = col(/現状|基準|実績|現在/);
		const targetCol = col(/目標/);
		const dirCol = col(/方向|↑|↓|矢印/);
		const node = ensureNode(line);
		let name = cells[nameCol] ?? '';
		const arrowText = `${name} ${dirCol >= 0 ? (cells[dirCol] ?? '') : ''}`;
		name = name.replace(/\s*[↑↓↗↘]\s*$/, '').trim();
		if (!name) return false;
		const baseline = baseCol >= 0 && cells[baseCol] ? valueCell(cells[baseCol]!) : undefined;
		const target = targetCol >= 0 && cells[targetCol] ? valueCell(cells[targetCol]!) : undefined;
		const measured = (v: ReturnType<typeof valueCell> | undefined, i: number): Measured | undefined => {
			if (!v) return undefined;
			const from = header.periods[i];
			return { ...(v.value !== undefined ? { value: v.value } : {}), text: v.text, ...(from ?? {}) };
		};
		let direction: 'higher' | 'lower' = 'higher';
		let reason: ProposedKpi['directionReason'] = 'default';
		if (/[↑↗]|増加|向上/.test(arrowText)) [direction, reason] = ['higher', 'arrow'];
		else if (/[↓↘]|減少|削減/.test(arrowText)) [direction, reason] = ['lower', 'arrow'];
		else if (baseline?.value !== undefined && target?.value !== undefined && target.value !== baseline.value)
			[direction, reason] = [target.value < baseline.value ? 'lower' : 'higher', 'values'];
		else if (/件数|被害|犯罪|事故|盗/.test(name)) [direction, reason] = ['lower', 'words'];
		const kpi: ProposedKpi = {
			line: line.no,
			name,
			unit: baseline?.unit ?? target?.unit ?? '',
			direction,
			directionReason: reason,
			...(baseline ? { baseline: measured(baseline, baseCol)! } : {}),
			...(target ? { target: measured(target, targetCol)! } : {})
		};
		node.indicators.push(kpi);
		kpiLines.add(line.no);
		return true;
	}

	function kpiHeaderOf(cells: string[]) {
		return {
			cols: cells,
			periods: cells.map((c) => {
				const y = yearsIn(c, era)[0];
				return y ? periodOf(y, c) : undefined;
			})
		};
	}
	function periodOf(y: ReturnType<typeof yearsIn>[number], text: string): Measured {
		const period: Period = { kind: y.kind, year: y.year, ...(y.inferred ? { inferred: true as const } : {}) };
		return { period, ...(y.end_of ? { note: text.slice(y.start, y.end + 1) } : {}) };
	}
	/** A row of only years under a KPI header (\t\t令和13年度末): the periods of those columns. */
	function kpiSubheader(cells: string[], header: { cols: string[]; periods: (Measured | undefined)[] }) {
		if (cells[0]) return false;
		const filled = cells.filter(Boolean);
		if (!filled.length || !filled.every((c) => yearsIn(c, era).length)) return false;
		cells.forEach((c, i) => {
			const y = c && yearsIn(c, era)[0];
			if (y) header.periods[i] = periodOf(y, c);
		});
		return true;
	}

	function table(rows: Line[]) {
		const data = rows.filter((r) => r.kind === 'tableRow');
		const hasRule = rows.some((r) => r.kind === 'tableRule');
		if (!data.length) return;
		const header = hasRule ? cellsOf(data[0]!) : null;
		if (hasRule) place(...rows.filter((r) => r.kind === 'tableRule'));
		const body = header ? data.slice(1) : data;
		if (header && header.some((h) => /目標/.test(h)) && header.some((h) => /現状|基準|実績|現在/.test(h))) {
			place(data[0]!);
			const kh = kpiHeaderOf(header);
			for (const r of body) {
				const cells = cellsOf(r);
				if (kpiSubheader(cells, kh) || kpiRow(cells, kh, r)) place(r);
			}
			return;
		}
		if (header && header.length === 2 && !header.some((h) => columnOf(h, era))) {
			// A two-column table of 項目 | 内容: read as key：value lines.
			for (const r of data) {
				const [k, v] = cellsOf(r);
				if (k && v !== undefined && keyValue({ ...r, kind: 'keyValue', key: k, value: v.replace(BR, '\n') })) place(r);
			}
			return;
		}
		if (!header) return;
		const years = header.map((h) => columnOf(h, era));
		const deptCol = header.findIndex((h) => /担当|所管/.test(h));
		const descCol = header.findIndex((h, i) => /内容|概要|説明/.test(h) && !years[i]);
		const refCol = header.findIndex((h) => /番号/.test(h));
		if (deptCol < 0 && years.every((y) => !y)) return;
		place(data[0]!);
		const cols = years.filter((y): y is Column => y !== null);
		const labels = columnsLabels(cols);
		const title = header[0]!.replace(BR, '');
		if (title && !levelLabelFromTable) levelLabelFromTable = title;
		if (!proposal.plan.recordColumns && cols.length) proposal.plan.recordColumns = labels;
		for (const r of body) {
			const cells = cellsOf(r);
			const first = cells[0] ?? '';
			const others = cells.slice(1).some(Boolean);
			if (!first && !others) continue;
			if (!others) {
				const [head, ...rest] = first.split(BR).map((s) => s.trim());
				const h = headingOf(head!);
				const node = h && h.title ? openNode(h.family, h.code, h.title, r) : openNode('row', '', head!, r);
				if (rest.length) node.subtitle = rest.join('\n');
				if (stack.length === 1 && cols.length && !sameColumns(proposal.plan.recordColumns, labels))
					node.recordColumns = labels;
				place(r);
				continue;
			}
			const node = ensureNode(r);
			const ini = addInitiative(node, first.replace(BR, ' ').trim(), r);
			if (deptCol >= 0 && cells[deptCol]) departmentCell(cells[deptCol]!, ini);
			if (descCol >= 0 && cells[descCol])
				ini.description = cells[descCol]!.split(BR)
					.map((s) => s.trim())
					.join('\n');
			if (refCol >= 0 && cells[refCol]) ini.planRef = cells[refCol]!.replace(BR, '');
			years.forEach((c, i) => {
				if (c && cells[i]) ini.records.push(...recordsOfCell(cells[i]!, c, r));
			});
			place(r);
		}
	}

	// --- key：value lines (an evaluation sheet) ---------------------------------------------
	function keyValue(l: Line): boolean {
		const key = l.key!;
		const value = l.value ?? '';
		if (/^(施策名)$/.test(key)) {
			if (value) openNode('key:施策', '', value, l);
			return Boolean(value);
		}
		if (/^(事務事業名|事業名|取組名)$/.test(key)) {
			if (!value) return false;
			initiative = addInitiative(ensureNode(l), value, l);
			return true;
		}
		if (/^(成果指標|活動指標|指標名?)$/.test(key)) {
			if (!value) return false;
			const node = ensureNode(l);
			node.indicators.push({ line: l.no, name: value, unit: '', direction: 'higher', directionReason: 'default' });
			kpiLines.add(l.no);
			return true;
		}
		if (/^(現状値|基準値|目標値)/.test(key)) {
			const kpi = current()?.indicators.at(-1);
			if (!kpi) return false;
			const v = valueCell(value);
			const y = yearsIn(l.text, era)[0];
			const m: Measured = {
				...(v.value !== undefined ? { value: v.value } : {}),
				text: v.text,
				...(y ? periodOf(y, l.text) : {})
			};
			if (key.startsWith('目標')) kpi.target = m;
			else kpi.baseline = m;
			kpi.unit ||= v.unit ?? '';
			if (
				kpi.baseline?.value !== undefined &&
				kpi.target?.value !== undefined &&
				kpi.baseline.value !== kpi.target.value
			) {
				kpi.direction = kpi.target.value < kpi.baseline.value ? 'lower' : 'higher';
				kpi.directionReason = 'values';
			}
			kpiLines.add(l.no);
			return true;
		}
		const ini = initiative;
		if (!ini) return false;
		if (/^(担当課|所管課|担当部署|所管部署|担当)$/.test(key)) {
			for (const d of value
				.split(/[、,，・/／]/)
				.map((s) => s.trim())
				.filter(Boolean))
				ini.departments.push(addDepartment(d));
			return true;
		}
		if (/目的|概要|内容/.test(key) && !yearsIn(key, era).length) {
			ini.description = ini.description ? `${ini.description}\n${value}` : value;
			return true;
		}
		const column = columnOf(key, era);
		if (column && value) {
			ini.records.push({
				line: l.no,
				fiscalYear: column.year,
				...(column.inferred ? { yearInferred: true as const } : {}),
				phase: phaseOf(key),
				text: value,
				metrics: []
			});
			return true;
		}
		return false;
	}

	// --- a table flattened into lines ------------------------------------------------------
	const isYearHead = (l: Line) =>
		(l.kind === 'text' || l.kind === 'heading') &&
		l.text.length <= 40 &&
		!/[。、]/.test(l.text) &&
		yearsIn(l.text, era)[0]?.start === 0 &&
		yearsIn(l.text, era)[0]?.kind === 'fiscal_year';

	function headerBlock(i: number): number {
		// The first line always belongs to the block, so the walk moves on.
		const block: Line[] = [lines[i]!];
		let j = i + 1;
		for (; j < lines.length; j++) {
			const l = lines[j]!;
			if (l.kind === 'blank') continue;
			if (l.kind === 'heading' && l.family === 'half') break;
			if (l.kind === 'heading' && l.family !== 'half' && !isYearHead(l)) break;
			if (l.text.length > 30 || /。/.test(l.text)) break;
			block.push(l);
		}
		const cols: Column[] = [];
		let pending: Column | null = null;
		for (const l of block) {
			let t = l.text;
			const y = yearsIn(t, era)[0];
			const tail = /(?:[\s\u3000]+|^)(担当課|担当|所管課)$/.exec(t);
			if (tail) t = t.slice(0, tail.index);
			if (/^※?.*番号$|^※/.test(t.trim())) continue;
			if (y && y.start === 0 && y.kind === 'fiscal_year') {
				const rest = t
					.slice(y.end)
					.replace(/^[\s\u3000]+/, '')
					.trim();
				pending = {
					year: y.year,
					...(y.inferred ? { inferred: true as const } : {}),
					phase: 'actual',
					label: '{year}'
				};
				cols.push(pending);
				if (rest) {
					pending.label = `{year} ${rest}`;
					pending.phase = phaseOf(rest);
					pending = null;
				}
			} else if (pending && t.trim() && !/番号/.test(t)) {
				pending.label = `{year} ${t.trim()}`;
				pending.phase = phaseOf(t);
				pending = null;
			}
		}
		place(...block);
		if (cols.length) {
			columns = cols;
			const labels = columnsLabels(cols);
			if (!proposal.plan.recordColumns) proposal.plan.recordColumns = labels;
			else if (!sameColumns(proposal.plan.recordColumns, labels) && current()) current()!.recordColumns = labels;
			const before = lines
				.slice(0, i)
				.reverse()
				.find((l) => l.kind !== 'blank');
			if (before && repeated(before)) initiativeLabel ??= before.text;
		}
		return j;
	}

	const joinWrapped = (ls: Line[]) =>
		ls.reduce((out, l) => (out && l.text.startsWith('\u3000') ? `${out}\n${l.text}` : out + l.text), '');

	function entry(i: number): number {
		const head = lines[i]!;
		const node = ensureNode(head);
		const titleLines = [head];
		let title = head.title ?? '';
		let j = i + 1;
		for (; j < lines.length; j++) {
			const l = lines[j]!;
			if (l.kind === 'blank' || l.text.startsWith('\u3000') || l.kind === 'heading' || l.kind === 'tableRow') break;
			title += l.text;
			titleLines.push(l);
		}
		const ini = addInitiative(node, title.trim(), head, head.code);
		place(...titleLines);
		const blocks: Line[][] = [];
		let blockLines: Line[] = [];
		const depts: Line[][] = [];
		const refs: string[] = [];
		for (; j < lines.length; j++) {
			const l = lines[j]!;
			if (l.kind === 'heading' && (l.family === head.family || families.has(l.family!))) break;
			if (isYearHead(l) || repeated(l) || l.text.startsWith('※') || l.kind === 'tableRow' || l.kind === 'label') break;
			if (l.kind === 'blank') {
				if (blockLines.length) blocks.push(blockLines);
				blockLines = [];
				continue;
			}
			const t = l.text.trim();
			const refTail = /^(.*?)[\s\u3000]+([ア-ン][①-⑳]*)$/.exec(t);
			const deptText = refTail ? refTail[1]! : t;
			if (REF.test(t)) {
				refs.push(t);
				place(l);
				continue;
			}
			if (
				!/[。、]/.test(deptText) &&
				deptText.length <= 40 &&
				DEPT_END.test(deptText.replace(/[（(][^)）]*[)）]?$/, '')) &&
				!t.startsWith('\u3000')
			) {
				depts.push([l]);
				if (refTail) refs.push(refTail[2]!);
				place(l);
				continue;
			}
			if (/^[（(][^)）]{1,20}[)）]$/.test(t) && depts.length && lines[j - 1]?.no === depts.at(-1)!.at(-1)!.no) {
				depts.at(-1)!.push(l);
				place(l);
				continue;
			}
			blockLines.push(l);
		}
		if (blockLines.length) blocks.push(blockLines);
		for (const d of depts) {
			const [name, ...units] = d.map((l) => l.text.trim());
			const clean = (name! + units.join('')).replace(/[\s\u3000]+[ア-ン][①-⑳]*$/, '');
			ini.departments.push(addDepartment(clean));
		}
		if (refs.length) ini.planRef = refs.join('');
		const cols = columns ?? [];
		blocks.forEach((b, k) => {
			const c = cols[k];
			if (!c) return; // more paragraphs than year columns: listed as unplaced
			ini.records.push({
				line: b[0]!.no,
				fiscalYear: c.year,
				...(c.inferred ? { yearInferred: true as const } : {}),
				phase: c.phase,
				text: joinWrapped(b).trim(),
				metrics: []
			});
			place(...b);
		});
		return j;
	}

	function footnote(i: number): number {
		const group: Line[] = [lines[i]!];
		let j = i + 1;
		for (; j < lines.length && lines[j]!.kind !== 'blank' && /^[\u3000\s]/.test(lines[j]!.raw); j++)
			group.push(lines[j]!);
		const text = group.map((l) => l.text.replace(/^[\u3000\s]+/, '')).join('\n');
		const title = /「([^」]+)」/.exec(text);
		if (title) {
			const range = yearsIn(title[1]!, era).filter((y) => y.kind === 'fiscal_year');
			const page = /[（(]([0-9０-９]+\s*(?:ﾍﾟｰｼﾞ|ページ|頁|P|p))[)）]/.exec(text);
			const rest = group
				.slice(1)
				.map((l) => l.text.replace(/^[\u3000\s]+/, ''))
				.filter((t) => !t.includes(`「${title[1]}」`));
			proposal.plan.references.push({
				title: title[1]!,
				...(range.length >= 2 ? { periodStart: range[0]!.year, periodEnd: range[range.length - 1]!.year } : {}),
				...(rest.length ? { section: rest.join(' ') } : {}),
				...(page ? { page: page[1]! } : {})
			});
			place(...group);
		}
		return j;
	}

	// --- the walk ----------------------------------------------------------------------------
	for (let i = 0; i < lines.length;) {
		const l = lines[i]!;
		if (placed.has(l.no) || l.kind === 'blank') {
			i++;
			continue;
		}
		if (current()) note(current()!, l);
		if (l.kind === 'tableRow' || l.kind === 'tableRule') {
			let j = i;
			while (j < lines.length && (lines[j]!.kind === 'tableRow' || lines[j]!.kind === 'tableRule')) j++;
			table(lines.slice(i, j));
			i = j;
			continue;
		}
		if (isYearHead(l) && section !== 'kpi') {
			i = headerBlock(i);
			continue;
		}
		if (l.text.startsWith('※') && section !== 'current') {
			i = footnote(i);
			continue;
		}
		if (repeated(l)) {
			place(l);
			i++;
			continue;
		}
		if (l.kind === 'heading' && columns && !families.has(l.family!) && current()) {
			i = entry(i);
			continue;
		}
		if (l.kind === 'heading' && l.title && l.title.length <= 60 && !/。$/.test(l.title)) {
			openNode(l.family!, l.code!, l.title, l, l.levelWord);
			place(l);
			i++;
			continue;
		}
		if (l.kind === 'label') {
			section = l.section!;
			if (section === 'initiatives') initiativeLabel ??= l.text.replace(/^#+\s*|[【】]/g, '');
			initiative = null;
			kpiHeader = null;
			place(l);
			i++;
			continue;
		}
		if (l.kind === 'keyValue' && keyValue(l)) {
			place(l);
			i++;
			continue;
		}
		const node = current();
		if (node) {
			if (section === 'kpi' && (l.kind === 'tabbed' || l.kind === 'text')) {
				const cells = l.raw.split('\t').map((c) => c.trim());
				if (!kpiHeader && cells.some((c) => /目標/.test(c))) {
					kpiHeader = kpiHeaderOf(cells);
					kpiLines.add(l.no);
					place(l);
				} else if (kpiHeader && (kpiSubheader(cells, kpiHeader) || (cells.length > 1 && kpiRow(cells, kpiHeader, l)))) {
					kpiLines.add(l.no);
					place(l);
				}
			} else if (section === 'summary' && l.kind === 'text') {
				node.summary = node.summary ? `${node.summary}\n${l.text}` : l.text;
				place(l);
			} else if (section === 'current' && l.kind === 'bullet') {
				(node.currentState ??= []).push(l.title!);
				place(l);
			} else if (section === 'related' && l.kind === 'bullet') {
				(node.relatedPlans ??= []).push(l.title!);
				place(l);
			} else if ((section === 'initiatives' || section === null) && l.kind === 'bullet') {
				const title = l
					.title!.replace(/[（(](?:担当[：:])?([^)）]*(?:課|室|係|担当))[)）]$|【([^】]*(?:課|室|係))】$/, '')
					.trim();
				const dept = /[（(](?:担当[：:])?([^)）]*(?:課|室|係|担当))[)）]$|【([^】]*(?:課|室|係))】$/.exec(l.title!);
				const existing = node.initiatives.find((x) => similar(x.title, title));
				if (existing) {
					if (l.marker === '●' || l.marker === '○' || l.marker === '◆') existing.title = title;
					initiative = existing;
				} else initiative = addInitiative(node, title, l);
				if (dept)
					for (const d of (dept[1] ?? dept[2])!.split(/[、・]/)) initiative.departments.push(addDepartment(d.trim()));
				place(l);
			} else if (section === 'initiatives' && l.kind === 'text' && initiative) {
				const ini: ProposedInitiative = initiative;
				ini.description = ini.description ? `${ini.description}\n${l.text}` : l.text;
				place(l);
			} else if (
				section === null &&
				l.kind === 'text' &&
				!node.initiatives.length &&
				!node.summary &&
				!/[)）]$/.test(l.text) &&
				l.text.length > 20
			) {
				node.summary = l.text;
				place(l);
			} else if (section === null && l.kind === 'text' && initiative && !columns) {
				const ini: ProposedInitiative = initiative;
				const y = columnOf(l.text.split(/[：:\s\u3000]/)[0] ?? '', era);
				if (y && /[：:\s\u3000]/.test(l.text)) {
					ini.records.push({
						line: l.no,
						fiscalYear: y.year,
						...(y.inferred ? { yearInferred: true as const } : {}),
						phase: y.phase,
						text: l.text.replace(/^[^：:\s\u3000]+[：:\s\u3000]+/, ''),
						metrics: []
					});
				} else ini.description = ini.description ? `${ini.description}\n${l.text}` : l.text;
				place(l);
			}
		}
		i++;
	}

	finish(proposal, { era, source, lines, placed, nodeLines, kpiLines, departmentSeen, taxonomyCodes });
	proposal.plan.kind = planKind(proposal.plan.title);
	const depth = (nodes: ProposedNode[]): number =>
		nodes.length ? 1 + Math.max(...nodes.map((n) => depth(n.children))) : 0;
	const levels = Math.max(1, depth(proposal.nodes));
	const tableHead = levelLabelFromTable as string | null;
	const headNoun = tableHead?.replace(/^(主要な|主な|重点|基本)/, '') ?? null;
	proposal.plan.levelLabels = Array.from(
		{ length: levels },
		(_, k) => levelWords.get(k) ?? (k === 0 ? (tableHead ?? DEFAULT_LEVEL_LABEL) : (headNoun ?? DEFAULT_LEVEL_LABEL))
	);
	proposal.plan.initiativeLabel = initiativeLabel ?? headNoun ?? DEFAULT_INITIATIVE_LABEL;
	if (!proposal.plan.title) proposal.plan.title = proposal.nodes[0]?.title ?? '';
	return proposal;
}

interface FinishContext {
	era: number;
	source: string;
	lines: Line[];
	placed: Set<number>;
	nodeLines: Map<ProposedNode, Line[]>;
	kpiLines: Set<number>;
	departmentSeen: { name: string; parent?: string }[];
	taxonomyCodes: ReadonlySet<string>;
}

/** Pass 3: values, inferred years, merged department spellings, categories, unplaced lines. */
function finish(p: DocumentProposal, c: FinishContext) {
	// Departments: spellings equal but for character width are one department, named as most often printed.
	type Group = { names: Map<string, number>; parent?: string; order: number };
	const groups = new Map<string, Group>();
	c.departmentSeen.forEach((d, order) => {
		const key = d.name.normalize('NFKC');
		const g: Group = groups.get(key) ?? { names: new Map<string, number>(), order };
		g.names.set(d.name, (g.names.get(d.name) ?? 0) + 1);
		if (d.parent) g.parent = d.parent;
		groups.set(key, g);
	});
	const spelling = (name: string) => {
		const g = groups.get(name.normalize('NFKC'));
		if (!g) return name;
		return [...g.names.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
	};
	p.departments = [...groups.values()]
		.sort((a, b) => a.order - b.order)
		.map((g) => {
			const name = spelling([...g.names.keys()][0]!);
			return g.parent ? { name, parent: spelling(g.parent) } : { name };
		});
	const known = new Set(p.departments.map((d) => d.name));

	// The latest year the document cites outside its KPI targets: the year of an undated baseline.
	const cited = c.lines
		.filter((l) => !c.kpiLines.has(l.no))
		.flatMap((l) => yearsIn(l.text, c.era))
		.map((y) => y.year);
	const latest = cited.length ? Math.max(...cited) : undefined;

	const periodEnds: number[] = [];
	const walk = (nodes: ProposedNode[]) => {
		for (const node of nodes) {
			const text = (c.nodeLines.get(node) ?? []).map((l) => l.text).join('\n');
			for (const ini of node.initiatives) {
				ini.departments = [...new Set(ini.departments.map(spelling))];
				for (const r of ini.records) {
					if (r.department) {
						r.department = spelling(r.department);
						if (!known.has(r.department)) {
							known.add(r.department);
							p.departments.push({ name: r.department });
						}
					}
					r.metrics = numbersIn(r.text).map(({ at: _at, ...m }) => ({
						...m,
						period: { kind: 'fiscal_year' as const, year: r.fiscalYear }
					}));
				}
				ini.categories = suggestCategories(
					[ini.title, ini.description ?? '', ...ini.records.map((r) => r.text)].join('\n'),
					c.taxonomyCodes
				);
			}
			for (const k of node.indicators) {
				if (k.target?.period) periodEnds.push(k.target.period.year);
				if (k.baseline && !k.baseline.period && latest !== undefined) {
					const captions = text.split('\n').filter((t) => /[(（].*年[)）]?/.test(t));
					const stem = k.name.replace(/[(（][^)）]*[)）]$/, '');
					const byCaption = captions.some(
						(t) => t.startsWith(stem) && yearsIn(t, c.era).some((y) => y.kind === 'calendar_year')
					);
					const police = k.unit === '件' && /盗|犯罪|認知/.test(k.name);
					k.baseline.period = {
						kind: byCaption || police ? 'calendar_year' : 'fiscal_year',
						year: latest,
						inferred: true
					};
				}
				// 全団体整備: all of them, counted where the section gives the total ((82町会・自治会)).
				if (k.target && k.target.value === undefined && /^全/.test(k.target.text ?? '')) {
					const stem = k.name.replace(/数$/, '');
					for (let len = stem.length; len >= 2 && k.target.value === undefined; len--) {
						const noun = stem.slice(stem.length - len);
						const m = new RegExp(`([0-9０-９][0-9０-９,，]*)${noun.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(text);
						if (m) k.target.value = Number(m[1]!.normalize('NFKC').replace(/,/g, ''));
					}
				}
			}
			for (const bullet of node.currentState ?? []) {
				const years = yearsIn(bullet, c.era).filter((y) => !/^\s*(に|と)比べ|^\s*より/.test(bullet.slice(y.end)));
				for (const n of numbersIn(bullet)) {
					const y = years.filter((m) => m.end <= n.at).at(-1);
					if (!y) continue;
					node.statistics.push({
						label: n.label,
						value: n.value,
						unit: n.unit,
						period: { kind: y.kind, year: y.year }
					});
				}
			}
			walk(node.children);
		}
	};
	walk(p.nodes);
	const ref = p.plan.references.find((r) => r.periodStart !== undefined);
	// A plan period is printed in brackets: （令和２年度から令和６年度）, (2022年度～2031年度).
	const range = /[（(]([^\s\u3000「（()）]+年度)\s*(?:から|～|〜|~|-)\s*([^\s\u3000」（()）]+年度)(?:まで)?[)）]/.exec(
		c.source
	);
	if (ref) {
		p.plan.periodStart = ref.periodStart;
		p.plan.periodEnd = ref.periodEnd;
	} else if (range && yearsIn(range[1]!, c.era).length && yearsIn(range[2]!, c.era).length) {
		p.plan.periodStart = yearsIn(range[1]!, c.era)[0]!.year;
		p.plan.periodEnd = yearsIn(range[2]!, c.era)[0]!.year;
	} else if (periodEnds.length) p.plan.periodEnd = Math.max(...periodEnds);
	if (p.plan.periodStart === undefined) delete p.plan.periodStart;
	if (p.plan.periodEnd === undefined) delete p.plan.periodEnd;

	p.unplaced = c.lines
		.filter((l) => l.kind !== 'blank' && !c.placed.has(l.no))
		.map((l) => ({ line: l.no, text: l.raw.trim().slice(0, 500) }));
	if (!p.nodes.length)
		p.messages.push({ line: c.lines.find((l) => l.kind !== 'blank')?.no ?? 1, key: 'document_no_structure' });
}
