// `npm run analytics:rebuild -- [--workspace <slug>] [--campaign <id>]`
// Recomputes campaign rollups from the raw rows (core/analytics/rollup-rebuild.ts): one
// campaign, every campaign of a workspace, or of every workspace (the default). For operators
// after an upgrade that changes how a counter is kept (docs/metrics.md says which), or to
// repair figures. Safe while the API and workers run: each campaign is rebuilt in one
// transaction that locks its messages, so writers of that campaign wait for it.
import { parseArgs } from 'node:util';
import { rebuildCampaignRollups, rebuildWorkspaceRollups } from '../core/analytics/rollup-rebuild';
import { openOperatorCore } from './operator-core';

async function main() {
  const { values } = parseArgs({ options: { workspace: { type: 'string' }, campaign: { type: 'string' } } });
  const { core, close } = await openOperatorCore();
  try {
    const workspaces = await core.db.prisma.workspace.findMany({ where: values.workspace ? { slug: values.workspace } : {}, orderBy: { id: 'asc' }, select: { id: true, slug: true } });
    if (values.workspace && !workspaces.length) throw new Error(`no workspace with slug "${values.workspace}"`);
    if (values.campaign) {
      const campaign = await core.db.prisma.campaign.findFirst({ where: { id: Number(values.campaign), workspaceId: { in: workspaces.map((w) => w.id) } } });
      if (!campaign) throw new Error(`no campaign ${values.campaign}${values.workspace ? ` in workspace "${values.workspace}"` : ''}`);
      await rebuildCampaignRollups(core, { workspaceId: campaign.workspaceId, campaignId: campaign.id });
      console.log(`rebuilt campaign ${campaign.id}`);
      return;
    }
    for (const w of workspaces) console.log(`${w.slug}: ${await rebuildWorkspaceRollups(core, w.id)} campaigns rebuilt`);
  } finally {
    await close();
  }
}

main().catch((err: Error) => {
  console.error(`analytics:rebuild failed: ${err.message}`);
  process.exit(1);
});
