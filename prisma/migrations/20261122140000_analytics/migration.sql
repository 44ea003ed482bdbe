-- Analytics: campaign rollups (counters per hour, variant and persona), link rollups, link
-- clickers (unique clicks per link) and message persona attribution. Mirrors prisma/analytics.prisma.

CREATE TABLE `campaign_rollups` (
    `campaign_id` INTEGER NOT NULL,
    `variant_id` INTEGER NOT NULL,
    `persona_id` INTEGER NOT NULL,
    `bucket_at` DATETIME(3) NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `recipients` INTEGER NOT NULL DEFAULT 0,
    `sent` INTEGER NOT NULL DEFAULT 0,
    `failed` INTEGER NOT NULL DEFAULT 0,
    `uncertain` INTEGER NOT NULL DEFAULT 0,
    `skipped` INTEGER NOT NULL DEFAULT 0,
    `skipped_frequency` INTEGER NOT NULL DEFAULT 0,
    `skipped_suppressed` INTEGER NOT NULL DEFAULT 0,
    `delivery_confirmed` INTEGER NOT NULL DEFAULT 0,
    `bounced` INTEGER NOT NULL DEFAULT 0,
    `bounced_hard` INTEGER NOT NULL DEFAULT 0,
    `bounced_soft` INTEGER NOT NULL DEFAULT 0,
    `dropped` INTEGER NOT NULL DEFAULT 0,
    `opened` INTEGER NOT NULL DEFAULT 0,
    `opened_any` INTEGER NOT NULL DEFAULT 0,
    `opens` INTEGER NOT NULL DEFAULT 0,
    `opens_any` INTEGER NOT NULL DEFAULT 0,
    `clicked` INTEGER NOT NULL DEFAULT 0,
    `clicks` INTEGER NOT NULL DEFAULT 0,
    `conversions` INTEGER NOT NULL DEFAULT 0,
    `revenue` DECIMAL(18, 4) NOT NULL DEFAULT 0,
    `unsubscribes` INTEGER NOT NULL DEFAULT 0,
    `complaints` INTEGER NOT NULL DEFAULT 0,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `campaign_rollups_workspace_persona_bucket_idx`(`workspace_id`, `persona_id`, `bucket_at`),
    PRIMARY KEY (`campaign_id`, `variant_id`, `persona_id`, `bucket_at`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `campaign_link_rollups` (
    `campaign_id` INTEGER NOT NULL,
    `url_hash` CHAR(32) NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `url` VARCHAR(2048) NOT NULL,
    `clicks` INTEGER NOT NULL DEFAULT 0,
    `unique_clicks` INTEGER NOT NULL DEFAULT 0,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `campaign_link_rollups_workspace_campaign_clicks_idx`(`workspace_id`, `campaign_id`, `clicks`),
    PRIMARY KEY (`campaign_id`, `url_hash`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `campaign_link_clickers` (
    `message_id` BIGINT NOT NULL,
    `url_hash` CHAR(32) NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `campaign_id` INTEGER NOT NULL,

    INDEX `campaign_link_clickers_workspace_campaign_idx`(`workspace_id`, `campaign_id`),
    PRIMARY KEY (`message_id`, `url_hash`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `message_personas` (
    `message_id` BIGINT NOT NULL,
    `persona_id` INTEGER NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `campaign_id` INTEGER NOT NULL,

    INDEX `message_personas_workspace_campaign_persona_idx`(`workspace_id`, `campaign_id`, `persona_id`),
    PRIMARY KEY (`message_id`, `persona_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `campaign_rollups` ADD CONSTRAINT `campaign_rollups_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `campaign_link_rollups` ADD CONSTRAINT `campaign_link_rollups_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `campaign_link_clickers` ADD CONSTRAINT `campaign_link_clickers_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `message_personas` ADD CONSTRAINT `message_personas_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
