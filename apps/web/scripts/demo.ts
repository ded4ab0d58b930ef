// What `npm start` prints about signing in. The demo accounts are created by the local seed only.
import { demoAccounts, demoPassword, isProduction } from '@mamori/services/node';

export function demoAccountsText(env: NodeJS.ProcessEnv = process.env): string {
	const lines = ['', '参加自治体（デモデータ）: /meguro 目黒区, /koganei 小金井市, /tomakomai 苫小牧市'];
	if (isProduction(env)) return [...lines, 'MAMORI_ENV=production: デモアカウントは作成されません。'].join('\n');
	const width = Math.max(...demoAccounts.map((a) => a.email.length));
	return [
		...lines,
		`デモアカウント（パスワードはすべて ${demoPassword(env)}、MAMORI_DEMO_PASSWORD で変更できます）:`,
		...demoAccounts.map((a) => `  ${a.email.padEnd(width)}  ${a.displayName}`),
		'サインイン: /login　運営コンソール: /operator（operator@mamori.example）'
	].join('\n');
}
