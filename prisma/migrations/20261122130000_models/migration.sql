-- Propensity models: targets, the versioned model registry (weights in the database) and
-- contact_scores, the active model's score per contact and target. Mirrors prisma/models.prisma.

CREATE TABLE `model_targets` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `key` VARCHAR(64) NOT NULL,
    `kind` ENUM('OPEN', 'CLICK', 'PURCHASE', 'CHURN', 'EVENT') NOT NULL,
    `event_type` VARCHAR(64) NULL,
    `property_filters` JSON NULL,
    `horizon_days` INTEGER NOT NULL,
    `active_model_id` INTEGER NULL,
    `score_refresh_hours` INTEGER NOT NULL DEFAULT 24,
    `last_scored_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `model_targets_active_model_key`(`active_model_id`),
    UNIQUE INDEX `model_targets_workspace_key_key`(`workspace_id`, `key`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `propensity_models` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `workspace_id` INTEGER NOT NULL,
    `target_id` INTEGER NOT NULL,
    `version` INTEGER NOT NULL,
    `model_key` VARCHAR(64) NOT NULL,
    `baseline_key` VARCHAR(64) NOT NULL,
    `feature_names` JSON NOT NULL,
    `feature_spec` JSON NOT NULL,
    `metrics` JSON NOT NULL,
    `baseline_metrics` JSON NOT NULL,
    `train_cutoff` DATETIME(3) NOT NULL,
    `validation_cutoff` DATETIME(3) NOT NULL,
    `data_end` DATETIME(3) NOT NULL,
    `horizon_days` INTEGER NOT NULL,
    `seed` INTEGER NOT NULL,
    `train_rows` INTEGER NOT NULL,
    `train_positives` INTEGER NOT NULL,
    `validation_rows` INTEGER NOT NULL,
    `validation_positives` INTEGER NOT NULL,
    `artifact` LONGBLOB NOT NULL,
    `details` JSON NULL,
    `job_id` BIGINT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `propensity_models_target_version_key`(`target_id`, `version`),
    INDEX `propensity_models_workspace_created_idx`(`workspace_id`, `created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `contact_scores` (
    `contact_id` INTEGER NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `model_id` INTEGER NOT NULL,
    `target` VARCHAR(64) NOT NULL,
    `score` DOUBLE NOT NULL,
    `scored_at` DATETIME(3) NOT NULL,

    INDEX `contact_scores_workspace_target_score_idx`(`workspace_id`, `target`, `score`),
    INDEX `contact_scores_model_idx`(`model_id`),
    PRIMARY KEY (`contact_id`, `target`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `model_targets` ADD CONSTRAINT `model_targets_workspace_id_fkey` FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `model_targets` ADD CONSTRAINT `model_targets_active_model_id_fkey` FOREIGN KEY (`active_model_id`) REFERENCES `propensity_models`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `propensity_models` ADD CONSTRAINT `propensity_models_target_id_fkey` FOREIGN KEY (`target_id`) REFERENCES `model_targets`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `contact_scores` ADD CONSTRAINT `contact_scores_contact_id_fkey` FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `contact_scores` ADD CONSTRAINT `contact_scores_model_id_fkey` FOREIGN KEY (`model_id`) REFERENCES `propensity_models`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
