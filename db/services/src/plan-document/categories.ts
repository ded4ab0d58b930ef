// Suggested taxonomy categories for an initiative, each with the words that matched (shown to the
// user as the reason). The words are the taxonomy's own vocabulary (version 1, seeds/taxonomy.yaml);
// a code the city's taxonomy does not have is never suggested. Most specific first, by how many
// words matched; at most four.

const WORDS: Record<string, string[]> = {
	'patrol.official': [
		'青パト',
		'青色回転灯',
		'青色防犯パトロール',
		'CoCoパトロール',
		'庁用車',
		'公用車',
		'巡回パトロール',
		'巡回'
	],
	'patrol.community': [
		'地域パトロール',
		'防犯パトロール',
		'自主防犯パトロール',
		'見守り活動',
		'わんわんパトロール',
		'ながら見守り',
		'安全パトロール'
	],
	volunteer_support: ['ボランティア', '防犯資機材', '資器材', '自主防犯', '防犯リーダー', '活動支援'],
	'camera.community_grant': [
		'防犯カメラ設置補助',
		'防犯カメラ整備',
		'防犯設備整備事業補助金',
		'街頭防犯カメラ',
		'設置補助'
	],
	'camera.public': ['防犯カメラの設置', '市が設置する防犯カメラ', '通学路防犯カメラ'],
	camera: ['防犯カメラ'],
	'environment.lighting': ['街路灯', '防犯灯', '照明'],
	'environment.public_space': ['公園', '死角', '剪定', '公共施設', '市営住宅', '道路'],
	'environment.private_facilities': ['大規模小売店舗', '大型店', '店舗', '駐車場', '自転車駐車場'],
	'environment.vacant_houses': ['空き家'],
	information: [
		'情報提供',
		'発信',
		'メール',
		'ホームページ',
		'市報',
		'区報',
		'広報',
		'ツイッター',
		'Facebook',
		'防災行政無線',
		'だより',
		'ガイドブック'
	],
	awareness: ['啓発', '注意喚起', '意識の向上', '防犯意識', 'キャンペーン', 'あいさつ運動', '懸垂幕', '周知'],
	training: ['講座', '講習', '研修', '防犯教室', 'セーフティー教室', '訓練', '安全マップ', '防犯マップ', '教育'],
	network: ['ネットワーク', '協議会', '連携', '協定', '市民集会', 'つどい'],
	police_liaison: ['警察', '交番'],
	bicycle_theft: ['自転車盗', '自転車の盗難', '二重ロック', '放置自転車'],
	burglary: ['侵入', '空き巣', '自動車盗', '車上ねらい', 'オートロック'],
	'fraud.special': ['特殊詐欺', '振り込め詐欺', 'アポ電', '還付金詐欺', '自動通話録音機', '架空請求'],
	'fraud.consumer': ['消費者', '悪質商法', '消費生活', '訪問販売'],
	fraud: ['詐欺'],
	cyber: ['サイバー', 'インターネット', 'SNS'],
	organised_crime: ['暴力団'],
	'vulnerable.children': ['子ども', '子供', '児童', '通学路', '登下校', 'こども', '小学校', '学校', '保育'],
	'vulnerable.elderly': ['高齢者', '老人クラブ', '認知症', '長生大学'],
	'vulnerable.disabled': ['障がい', '障害'],
	'vulnerable.abuse': ['虐待'],
	women_dv: ['女性', 'DV', '配偶者', 'ストーカー', '性犯罪'],
	youth: ['青少年', '非行', '健全育成', '少年'],
	'youth.drugs': ['薬物'],
	victim_support: ['被害者', '相談窓口', '相談'],
	reoffending: ['再犯'],
	plan_management: ['計画の推進', '点検', '評価']
};

export interface CategorySuggestion {
	code: string;
	/** The words of the initiative that matched. */
	words: string[];
}

export function suggestCategories(text: string, codes: ReadonlySet<string>): CategorySuggestion[] {
	const norm = text.normalize('NFKC');
	const found: (CategorySuggestion & { depth: number; order: number })[] = [];
	Object.entries(WORDS).forEach(([code, words], order) => {
		if (!codes.has(code)) return;
		const matched = words.filter((w) => norm.includes(w.normalize('NFKC')));
		// A word inside a longer matched one (設置補助 in 防犯カメラ設置補助) says nothing more.
		const hits = matched.filter((w) => !matched.some((o) => o !== w && o.includes(w)));
		if (hits.length) found.push({ code, words: hits, depth: code.split('.').length, order });
	});
	// A parent code is dropped when one of its children matched (most specific first).
	const kept = found.filter((f) => !found.some((g) => g.code.startsWith(f.code + '.')));
	kept.sort((a, b) => b.words.length - a.words.length || b.depth - a.depth || a.order - b.order);
	return kept.slice(0, 4).map(({ code, words }) => ({ code, words }));
}
