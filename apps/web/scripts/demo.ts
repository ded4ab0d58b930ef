// What `npm start` prints about signing in. The demo accounts are created by the local seed only.
export function demoAccountsText(): string {
	return [
		'',
		'参加自治体（デモデータ）: /meguro 目黒区, /koganei 小金井市, /tomakomai 苫小牧市',
		'サインイン機能は準備中です。現在は公開ページのみ閲覧できます。'
	].join('\n');
}
