-- Campaigns and delivery: campaigns, variants, messages (one row per recipient, written
-- before anything is sent), message events, trigger enrollments, provider channels,
-- tracked links, tracking keys and scanner cursors. Mirrors prisma/campaigns.prisma.

CREATE TABLE `campaigns` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `name` VARCHAR(200) NOT NULL,
    `type` ENUM('BROADCAST', 'TRIGGERED') NOT NULL DEFAULT 'BROADCAST',
    `category` ENUM('MARKETING', 'TRANSACTIONAL') NOT NULL DEFAULT 'MARKETING',
    `status` ENUM('DRAFT', 'SCHEDULED', 'SENDING', 'ACTIVE', 'PAUSED', 'SENT', 'CANCELLED') NOT NULL DEFAULT 'DRAFT',
    `pause_reason` VARCHAR(1000) NULL,
    `resume_status` ENUM('DRAFT', 'SCHEDULED', 'SENDING', 'ACTIVE', 'PAUSED', 'SENT', 'CANCELLED') NULL,
    `integration_id` INTEGER NULL,
    `from_email` VARCHAR(320) NOT NULL,
    `from_name` VARCHAR(120) NULL,
    `reply_to_email` VARCHAR(320) NULL,
    `reply_to_name` VARCHAR(120) NULL,
    `audience` JSON NULL,
    `utm` JSON NULL,
    `send_mode` ENUM('NOW', 'AT', 'STO') NOT NULL DEFAULT 'NOW',
    `send_at` DATETIME(3) NULL,
    `sto_window_hours` INTEGER NOT NULL DEFAULT 24,
    `throttle_per_minute` INTEGER NULL,
    `throttle_window_at` DATETIME(3) NULL,
    `throttle_window_used` INTEGER NOT NULL DEFAULT 0,
    `ab_test_fraction` DOUBLE NULL,
    `ab_metric` ENUM('OPEN', 'CLICK', 'CONVERSION', 'REVENUE') NULL,
    `ab_window_minutes` INTEGER NULL,
    `ab_fallback` ENUM('CONTROL', 'LEADER') NULL,
    `ab_phase` ENUM('NONE', 'TESTING', 'DECIDED') NOT NULL DEFAULT 'NONE',
    `ab_decide_at` DATETIME(3) NULL,
    `winner_variant_id` INTEGER NULL,
    `ab_result` JSON NULL,
    `trigger` JSON NULL,
    `audience_count` INTEGER NULL,
    `snapshot` JSON NULL,
    `launched_at` DATETIME(3) NULL,
    `completed_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `campaigns_workspace_created_idx`(`workspace_id`, `created_at`),
    INDEX `campaigns_status_send_at_idx`(`status`, `send_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `campaign_variants` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `campaign_id` INTEGER NOT NULL,
    `position` INTEGER NOT NULL,
    `name` VARCHAR(64) NOT NULL,
    `template_id` INTEGER NULL,
    `template_version_id` INTEGER NULL,
    `subject` VARCHAR(998) NULL,
    `from_name` VARCHAR(120) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `campaign_variants_campaign_position_key`(`campaign_id`, `position`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `messages` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `campaign_id` INTEGER NOT NULL,
    `variant_id` INTEGER NULL,
    `contact_id` INTEGER NOT NULL,
    `enrollment_id` BIGINT NOT NULL DEFAULT 0,
    `email` VARCHAR(320) NOT NULL,
    `status` ENUM('QUEUED', 'HELD', 'SENDING', 'DISPATCHING', 'SENT', 'DELIVERED', 'BOUNCED', 'DROPPED', 'FAILED', 'SKIPPED', 'CANCELLED', 'UNCERTAIN') NOT NULL DEFAULT 'QUEUED',
    `send_at` DATETIME(3) NOT NULL,
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `lease_owner` VARCHAR(64) NULL,
    `lease_until` DATETIME(3) NULL,
    `skip_reason` VARCHAR(64) NULL,
    `error` VARCHAR(1000) NULL,
    `provider_message_id` VARCHAR(191) NULL,
    `sent_at` DATETIME(3) NULL,
    `delivered_at` DATETIME(3) NULL,
    `bounced_at` DATETIME(3) NULL,
    `opened_at` DATETIME(3) NULL,
    `machine_opened_at` DATETIME(3) NULL,
    `open_count` INTEGER NOT NULL DEFAULT 0,
    `clicked_at` DATETIME(3) NULL,
    `click_count` INTEGER NOT NULL DEFAULT 0,
    `complained_at` DATETIME(3) NULL,
    `unsubscribed_at` DATETIME(3) NULL,
    `converted_at` DATETIME(3) NULL,
    `revenue` DECIMAL(18, 4) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `messages_campaign_contact_key`(`campaign_id`, `contact_id`, `enrollment_id`),
    INDEX `messages_campaign_status_send_idx`(`campaign_id`, `status`, `send_at`),
    INDEX `messages_contact_sent_idx`(`contact_id`, `sent_at`),
    INDEX `messages_workspace_provider_id_idx`(`workspace_id`, `provider_message_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `message_events` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `message_id` BIGINT NOT NULL,
    `campaign_id` INTEGER NOT NULL,
    `variant_id` INTEGER NULL,
    `contact_id` INTEGER NOT NULL,
    `type` ENUM('delivered', 'bounce', 'dropped', 'deferred', 'open', 'click', 'spamreport', 'unsubscribe', 'conversion') NOT NULL,
    `occurred_at` DATETIME(3) NOT NULL,
    `received_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `source` VARCHAR(64) NOT NULL,
    `dedupe_key` VARCHAR(191) NULL,
    `machine` BOOLEAN NOT NULL DEFAULT false,
    `url` VARCHAR(2048) NULL,
    `reason` VARCHAR(1000) NULL,
    `bounce_class` ENUM('hard', 'soft') NULL,
    `value` DECIMAL(18, 4) NULL,
    `user_agent` VARCHAR(512) NULL,

    UNIQUE INDEX `message_events_workspace_dedupe_key`(`workspace_id`, `dedupe_key`),
    INDEX `message_events_message_type_idx`(`message_id`, `type`),
    INDEX `message_events_campaign_type_time_idx`(`campaign_id`, `type`, `occurred_at`),
    INDEX `message_events_contact_time_idx`(`contact_id`, `occurred_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `trigger_enrollments` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `campaign_id` INTEGER NOT NULL,
    `contact_id` INTEGER NOT NULL,
    `status` ENUM('WAITING', 'SENT', 'EXITED', 'SKIPPED') NOT NULL DEFAULT 'WAITING',
    `trigger_event_id` BIGINT NULL,
    `entered_at` DATETIME(3) NOT NULL,
    `due_at` DATETIME(3) NOT NULL,
    `exit_reason` VARCHAR(255) NULL,
    `message_id` BIGINT NULL,
    `processed_at` DATETIME(3) NULL,

    UNIQUE INDEX `trigger_enrollments_campaign_event_key`(`campaign_id`, `trigger_event_id`),
    INDEX `trigger_enrollments_campaign_contact_idx`(`campaign_id`, `contact_id`, `entered_at`),
    INDEX `trigger_enrollments_contact_idx`(`contact_id`),
    INDEX `trigger_enrollments_status_due_idx`(`status`, `due_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `provider_channels` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `integration_id` INTEGER NOT NULL,
    `provider_key` VARCHAR(64) NOT NULL,
    `max_per_minute` INTEGER NULL,
    `window_at` DATETIME(3) NULL,
    `window_used` INTEGER NOT NULL DEFAULT 0,
    `circuit_state` ENUM('CLOSED', 'OPEN') NOT NULL DEFAULT 'CLOSED',
    `consecutive_failures` INTEGER NOT NULL DEFAULT 0,
    `last_error` VARCHAR(1000) NULL,
    `opened_at` DATETIME(3) NULL,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `provider_channels_workspace_integration_key`(`workspace_id`, `integration_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `tracked_links` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `campaign_id` INTEGER NOT NULL,
    `url_hash` CHAR(32) NOT NULL,
    `url` TEXT NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `tracked_links_campaign_hash_key`(`campaign_id`, `url_hash`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `tracking_keys` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `secret` BLOB NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `delivery_cursors` (
    `name` VARCHAR(64) NOT NULL,
    `position` BIGINT NOT NULL DEFAULT 0,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `campaigns` ADD CONSTRAINT `campaigns_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `campaign_variants` ADD CONSTRAINT `campaign_variants_campaign_id_fkey` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `messages` ADD CONSTRAINT `messages_campaign_id_fkey` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `messages` ADD CONSTRAINT `messages_contact_id_fkey` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `message_events` ADD CONSTRAINT `message_events_message_id_fkey` FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `trigger_enrollments` ADD CONSTRAINT `trigger_enrollments_campaign_id_fkey` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `trigger_enrollments` ADD CONSTRAINT `trigger_enrollments_contact_id_fkey` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `provider_channels` ADD CONSTRAINT `provider_channels_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `tracked_links` ADD CONSTRAINT `tracked_links_campaign_id_fkey` FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
