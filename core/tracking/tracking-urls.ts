// The URLs and headers a message carries for tracking and unsubscribing.
import type { CoreContext } from '../context';
import { tokenSigner } from './tracking-tokens';
import type { LinkCollector } from './tracked-links';

export const TRACKING_PATHS = {
  open: '/t/o/:token',
  click: '/t/c/:token',
  unsubscribe: '/u/:token',
} as const;

export interface MessageTracking {
  openPixelUrl: string;
  linkUrl(url: string, linkIndex: number): string;
  unsubscribeUrl: string;
  /** RFC 8058 one-click unsubscribe (and RFC 2369 List-Unsubscribe). */
  headers: Record<string, string>;
}

/** Builds the per-message decorations for a batch; signing is synchronous once the key is loaded. */
export async function trackingBuilder(core: CoreContext, publicUrl: string) {
  const sign = await tokenSigner(core);
  const base = publicUrl.replace(/\/$/, '');
  return (args: { messageId: bigint; workspaceId: number; campaignId: number; links: LinkCollector }): MessageTracking => {
    const unsubscribeUrl = `${base}/u/${sign({ kind: 'unsubscribe', messageId: args.messageId })}`;
    return {
      openPixelUrl: `${base}/t/o/${sign({ kind: 'open', messageId: args.messageId })}`,
      linkUrl: (url) => `${base}/t/c/${sign({ kind: 'click', messageId: args.messageId, urlHash: args.links.add(args.workspaceId, args.campaignId, url) })}`,
      unsubscribeUrl,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    };
  };
}
