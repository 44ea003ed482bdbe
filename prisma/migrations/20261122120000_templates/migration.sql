-- Templates and transport: versioned templates (compiled at save time) and the outbox
-- provider's stored messages. Mirrors prisma/templates.prisma.

CREATE TABLE `templates` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `name` VARCHAR(120) NOT NULL,
    `description` VARCHAR(500) NULL,
    `latest_version` INTEGER NOT NULL DEFAULT 0,
    `archived_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `templates_workspace_name_key`(`workspace_id`, `name`),
    INDEX `templates_workspace_updated_idx`(`workspace_id`, `updated_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `template_versions` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `template_id` INTEGER NOT NULL,
    `version` INTEGER NOT NULL,
    `subject` VARCHAR(998) NOT NULL,
    `preheader` VARCHAR(500) NULL,
    `mjml` MEDIUMTEXT NOT NULL,
    `text_source` MEDIUMTEXT NULL,
    `html` MEDIUMTEXT NOT NULL,
    `text` MEDIUMTEXT NOT NULL,
    `variables` JSON NOT NULL,
    `warnings` JSON NOT NULL,
    `html_bytes` INTEGER NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `template_versions_template_version_key`(`template_id`, `version`),
    INDEX `template_versions_workspace_created_idx`(`workspace_id`, `created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `outbox_messages` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `message_id` VARCHAR(64) NOT NULL,
    `to_email` VARCHAR(320) NOT NULL,
    `to_name` VARCHAR(200) NULL,
    `from_email` VARCHAR(320) NOT NULL,
    `from_name` VARCHAR(200) NULL,
    `reply_to` VARCHAR(320) NULL,
    `subject` VARCHAR(998) NOT NULL,
    `html` MEDIUMTEXT NOT NULL,
    `text` MEDIUMTEXT NOT NULL,
    `headers` JSON NOT NULL,
    `custom_args` JSON NULL,
    `categories` JSON NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `outbox_messages_workspace_created_idx`(`workspace_id`, `created_at`),
    INDEX `outbox_messages_workspace_message_idx`(`workspace_id`, `message_id`),
    INDEX `outbox_messages_workspace_to_idx`(`workspace_id`, `to_email`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `templates` ADD CONSTRAINT `templates_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `template_versions` ADD CONSTRAINT `template_versions_template_id_fkey` FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `outbox_messages` ADD CONSTRAINT `outbox_messages_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
