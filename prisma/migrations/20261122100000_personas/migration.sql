-- Personas: contact profiles, personas with materialised membership and history, k-means
-- discoveries, association rules, refresh watermarks. Mirrors prisma/personas.prisma.

CREATE TABLE `contact_profiles` (
    `contact_id` INTEGER NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `first_seen_at` DATETIME(3) NULL,
    `last_activity_at` DATETIME(3) NULL,
    `last_purchase_at` DATETIME(3) NULL,
    `purchase_count` INTEGER NOT NULL DEFAULT 0,
    `session_count` INTEGER NOT NULL DEFAULT 0,
    `monetary_total` DECIMAL(18, 4) NOT NULL DEFAULT 0,
    `average_order_value` DECIMAL(18, 4) NULL,
    `recency_score` TINYINT NULL,
    `frequency_score` TINYINT NULL,
    `monetary_score` TINYINT NULL,
    `rfm_code` CHAR(3) NULL,
    `events_7d` INTEGER NOT NULL DEFAULT 0,
    `events_30d` INTEGER NOT NULL DEFAULT 0,
    `events_90d` INTEGER NOT NULL DEFAULT 0,
    `opens_30d` INTEGER NOT NULL DEFAULT 0,
    `opens_90d` INTEGER NOT NULL DEFAULT 0,
    `clicks_30d` INTEGER NOT NULL DEFAULT 0,
    `clicks_90d` INTEGER NOT NULL DEFAULT 0,
    `preferred_hour` TINYINT NULL,
    `lifecycle_stage` ENUM('NEW', 'ACTIVE', 'AT_RISK', 'LAPSED') NOT NULL,
    `top_interest` VARCHAR(100) NULL,
    `computed_at` DATETIME(3) NOT NULL,

    INDEX `contact_profiles_workspace_stage_idx`(`workspace_id`, `lifecycle_stage`),
    PRIMARY KEY (`contact_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `contact_event_counts` (
    `contact_id` INTEGER NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `type` VARCHAR(64) NOT NULL,
    `count_7d` INTEGER NOT NULL,
    `count_30d` INTEGER NOT NULL,
    `count_90d` INTEGER NOT NULL,

    PRIMARY KEY (`contact_id`, `type`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `contact_interests` (
    `contact_id` INTEGER NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `category` VARCHAR(100) NOT NULL,
    `score` DOUBLE NOT NULL,
    `views` INTEGER NOT NULL,
    `purchases` INTEGER NOT NULL,

    INDEX `contact_interests_workspace_category_idx`(`workspace_id`, `category`, `score`),
    PRIMARY KEY (`contact_id`, `category`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `personas` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `slug` VARCHAR(64) NOT NULL,
    `name` VARCHAR(120) NOT NULL,
    `description` VARCHAR(500) NULL,
    `kind` ENUM('RULE', 'CLUSTER') NOT NULL,
    `definition` JSON NOT NULL,
    `member_count` INTEGER NOT NULL DEFAULT 0,
    `refreshed_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `personas_workspace_slug_key`(`workspace_id`, `slug`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `persona_members` (
    `persona_id` INTEGER NOT NULL,
    `contact_id` INTEGER NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `joined_at` DATETIME(3) NOT NULL,

    INDEX `persona_members_workspace_contact_idx`(`workspace_id`, `contact_id`),
    PRIMARY KEY (`persona_id`, `contact_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `persona_membership_changes` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `persona_id` INTEGER NOT NULL,
    `contact_id` INTEGER NOT NULL,
    `change` ENUM('ENTERED', 'LEFT') NOT NULL,
    `occurred_at` DATETIME(3) NOT NULL,

    INDEX `persona_membership_changes_persona_time_idx`(`persona_id`, `occurred_at`),
    INDEX `persona_membership_changes_contact_time_idx`(`contact_id`, `occurred_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `persona_refreshes` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `persona_id` INTEGER NOT NULL,
    `size` INTEGER NOT NULL,
    `entered` INTEGER NOT NULL,
    `left` INTEGER NOT NULL,
    `duration_ms` INTEGER NOT NULL,
    `refreshed_at` DATETIME(3) NOT NULL,

    INDEX `persona_refreshes_persona_time_idx`(`persona_id`, `refreshed_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `persona_discoveries` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `k` INTEGER NOT NULL,
    `features` JSON NOT NULL,
    `model` JSON NOT NULL,
    `inertia` DOUBLE NOT NULL,
    `silhouette` DOUBLE NULL,
    `sample_size` INTEGER NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `persona_discoveries_workspace_created_idx`(`workspace_id`, `created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `association_rule_sets` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `item_key` VARCHAR(16) NOT NULL,
    `min_support` DOUBLE NOT NULL,
    `min_confidence` DOUBLE NOT NULL,
    `min_lift` DOUBLE NOT NULL,
    `transactions` INTEGER NOT NULL,
    `mined_at` DATETIME(3) NOT NULL,

    INDEX `association_rule_sets_workspace_mined_idx`(`workspace_id`, `item_key`, `mined_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `association_rules` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `rule_set_id` INTEGER NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `antecedent` JSON NOT NULL,
    `consequent` JSON NOT NULL,
    `support` DOUBLE NOT NULL,
    `confidence` DOUBLE NOT NULL,
    `lift` DOUBLE NOT NULL,
    `count` INTEGER NOT NULL,

    INDEX `association_rules_set_lift_idx`(`rule_set_id`, `lift`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `profile_refresh_state` (
    `workspace_id` INTEGER NOT NULL,
    `last_event_id` BIGINT NOT NULL DEFAULT 0,
    `last_message_event_id` BIGINT NOT NULL DEFAULT 0,
    `last_contact_update` DATETIME(3) NULL,
    `refreshed_at` DATETIME(3) NULL,

    PRIMARY KEY (`workspace_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `contact_profiles` ADD CONSTRAINT `contact_profiles_contact_id_fkey` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `contact_event_counts` ADD CONSTRAINT `contact_event_counts_contact_id_fkey` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `contact_interests` ADD CONSTRAINT `contact_interests_contact_id_fkey` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `personas` ADD CONSTRAINT `personas_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `persona_members` ADD CONSTRAINT `persona_members_persona_id_fkey` FOREIGN KEY (`persona_id`) REFERENCES `personas`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `persona_members` ADD CONSTRAINT `persona_members_contact_id_fkey` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `persona_membership_changes` ADD CONSTRAINT `persona_membership_changes_persona_id_fkey` FOREIGN KEY (`persona_id`) REFERENCES `personas`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `persona_membership_changes` ADD CONSTRAINT `persona_membership_changes_contact_id_fkey` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `persona_refreshes` ADD CONSTRAINT `persona_refreshes_persona_id_fkey` FOREIGN KEY (`persona_id`) REFERENCES `personas`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `persona_discoveries` ADD CONSTRAINT `persona_discoveries_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `association_rule_sets` ADD CONSTRAINT `association_rule_sets_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `association_rules` ADD CONSTRAINT `association_rules_rule_set_id_fkey` FOREIGN KEY (`rule_set_id`) REFERENCES `association_rule_sets`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `profile_refresh_state` ADD CONSTRAINT `profile_refresh_state_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
