// Where a text stops being JSON, for a message that says so (JSON.parse says it only sometimes).
// A scanner of JSON's grammar (RFC 8259): it answers the offset of the first character that
// cannot continue the text, or null when the text is JSON.

const WS = new Set([' ', '\t', '\n', '\r']);

export function firstJsonError(text: string): number | null {
	let i = 0;
	const ws = () => {
		while (i < text.length && WS.has(text[i]!)) i++;
	};
	const fail = (): never => {
		throw i;
	};
	const literal = (word: string) => {
		for (const c of word) {
			if (text[i] !== c) fail();
			i++;
		}
	};
	const string = () => {
		i++; // the opening quote
		for (;;) {
			const c = text[i];
			if (c === undefined || c < ' ') fail();
			if (c === '"') return void i++;
			if (c === '\\') {
				i++;
				if (text[i] === 'u') {
					for (let k = 0; k < 4; k++) {
						i++;
						if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
					}
					i++;
				} else if ('"\\/bfnrt'.includes(text[i] ?? '_')) i++;
				else fail();
			} else i++;
		}
	};
	const number = () => {
		const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
		if (!match) fail();
		i += match![0].length;
	};
	const value = (): void => {
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			ws();
			if (text[i] === '}') return void i++;
			for (;;) {
				ws();
				if (text[i] !== '"') fail();
				string();
				ws();
				if (text[i] !== ':') fail();
				i++;
				value();
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === '}') return void i++;
				else fail();
			}
		}
		if (c === '[') {
			i++;
			ws();
			if (text[i] === ']') return void i++;
			for (;;) {
				value();
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === ']') return void i++;
				else fail();
			}
		}
		if (c === '"') return string();
		if (c === 't') return literal('true');
		if (c === 'f') return literal('false');
		if (c === 'n') return literal('null');
		if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
		fail();
	};
	try {
		value();
		ws();
		return i < text.length ? i : null;
	} catch (at) {
		return at as number;
	}
}

/** Line and column (from 1, in characters) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	return { line, column: offset - before.lastIndexOf('\n') };
}
