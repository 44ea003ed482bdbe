-- Propensity model features (core/models/feature-sql.ts) aggregate each contact's behaviour in
-- a window before a cutoff, for a whole workspace at a time (scoring, training), walking the
-- workspace's contacts in id order and each contact's events through (contact_id, occurred_at).
-- Those indexes held no other column, so every event row was then fetched by primary key: a
-- random page read per event once the table outgrows the buffer pool. They now also hold the
-- columns the aggregates read (type, value; type, machine), so the walk reads no row at all.
-- Widened rather than added beside them: ingestion maintains the same number of indexes.
-- Mirrors prisma/schema.prisma (contacts, events) and prisma/campaigns.prisma (message_events).

-- CreateIndex: a workspace's contacts in id order. Without it the only workspace indexes are
-- (workspace_id, <column>), and each page of contacts read the whole workspace and sorted it.
CREATE INDEX `contacts_workspace_id_idx` ON `contacts`(`workspace_id`, `id`);

-- AlterIndex: one statement, so the contact_id foreign key always has its index.
ALTER TABLE `events` DROP INDEX `events_contact_time_idx`, ADD INDEX `events_contact_time_idx`(`contact_id`, `occurred_at`, `type`, `value`);

-- AlterIndex
ALTER TABLE `message_events` DROP INDEX `message_events_contact_time_idx`, ADD INDEX `message_events_contact_time_idx`(`contact_id`, `occurred_at`, `type`, `machine`);
