// Loads ../shared/data/online_retail.csv (UCI Online Retail, 2010-12 to 2011-12) as purchase
// events: one per invoice, valued at the sum of its lines, for the customer who placed it.
// Cleaning as in online_retail.REFERENCE.txt: rows without a CustomerID and returns
// (Quantity < 0) are dropped.
import { readFileSync } from 'node:fs';
import { sharedDataFile } from '../../support/shared-data';
import type { WorkspaceContext } from '../../../core/context';
import { trackEvents, type TrackEventInput } from '../../../core/events/track-events';

export const ONLINE_RETAIL_CSV = sharedDataFile('online_retail.csv');

export interface Invoice {
  invoice: string;
  customer: string;
  at: Date;
  value: number;
  lines: number;
  country: string;
}

/** Invoices of identified customers, in file (date) order. */
export function readInvoices(file = ONLINE_RETAIL_CSV): Invoice[] {
  const text = readFileSync(file, 'utf8');
  const byInvoice = new Map<string, Invoice>();
  let start = text.indexOf('\n') + 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (!line) continue;
    const f = splitCsvLine(line);
    // InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
    const quantity = Number(f[3]);
    if (!f[6] || !(quantity >= 0)) continue;
    const customer = String(Math.round(Number(f[6])));
    const inv = byInvoice.get(f[0]);
    const amount = quantity * Number(f[5]);
    if (inv) {
      inv.value += amount;
      inv.lines++;
    } else {
      byInvoice.set(f[0], { invoice: f[0], customer, at: new Date(`${f[4].replace(' ', 'T')}Z`), value: amount, lines: 1, country: f[7] });
    }
  }
  return [...byInvoice.values()];
}

function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Tracks every invoice as a `purchase` event of its customer (external id = CustomerID). */
export async function loadOnlineRetail(ctx: WorkspaceContext, invoices = readInvoices()): Promise<{ customers: number; invoices: number; first: Date; last: Date }> {
  const events: TrackEventInput[] = invoices.map((i) => ({
    type: 'purchase',
    externalId: i.customer,
    occurredAt: i.at,
    value: Math.round(i.value * 100) / 100,
    properties: { invoice: i.invoice, lines: i.lines, country: i.country },
    idempotencyKey: `invoice:${i.invoice}`,
  }));
  for (let i = 0; i < events.length; i += 10_000) {
    const r = await trackEvents(ctx, { events: events.slice(i, i + 10_000), source: 'online-retail' });
    if (r.rejected.length) throw new Error(`online retail: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  const times = invoices.map((i) => i.at.getTime());
  return { customers: new Set(invoices.map((i) => i.customer)).size, invoices: invoices.length, first: new Date(Math.min(...times)), last: new Date(Math.max(...times)) };
}
