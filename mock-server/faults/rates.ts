// Faults by probability (`--fault-rate 429=0.1,500=0.05,download-404=0.02`): each API call (or
// each download, for `download-` keys) draws once and gets at most one fault, so a client's
// retries meet the same odds on every attempt. With `--seed` the draws repeat from run to run.
import { FaultSyntaxError, parseDownloadFault, parseFault } from './grammar.ts';
import type { DownloadFault, Fault } from './grammar.ts';

export type FaultRates = {
	api: Array<{ name: string; fault: Fault; rate: number }>;
	download: Array<{ name: string; fault: DownloadFault; rate: number }>;
};

export const noFaultRates: FaultRates = { api: [], download: [] };

/** Parses `429=0.1,500=0.05,drop=0.01,download-404=0.1,download-truncate=0.05`. */
export function parseFaultRates(text: string): FaultRates {
	const rates: FaultRates = { api: [], download: [] };
	for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
		const match = /^(.+)=([0-9.]+)$/.exec(part);
		const rate = match ? Number(match[2]) : NaN;
		if (!match || !(rate >= 0 && rate <= 1)) {
			throw new FaultSyntaxError(`Invalid fault rate "${part}": expected <fault>=<probability 0..1>, e.g. 429=0.1.`);
		}
		const name = match[1].trim().toLowerCase();
		if (name.startsWith('download-')) rates.download.push({ name, fault: parseDownloadFault(name.slice('download-'.length)), rate });
		else rates.api.push({ name, fault: parseFault(name), rate });
	}
	for (const list of [rates.api, rates.download]) {
		const total = list.reduce((sum, entry) => sum + entry.rate, 0);
		if (total > 1) throw new FaultSyntaxError(`Fault rates add up to ${total}: at most 1 in all (API and download faults separately).`);
	}
	return rates;
}

/** The entry a draw in [0, 1) lands on, or undefined for no fault. */
export function pickFault<T extends { rate: number }>(entries: T[], draw: number): T | undefined {
	let edge = 0;
	for (const entry of entries) {
		edge += entry.rate;
		if (draw < edge) return entry;
	}
	return undefined;
}
