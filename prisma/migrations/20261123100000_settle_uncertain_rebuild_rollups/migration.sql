-- Data only: brings rows written before two counting changes (core/delivery/message-events.ts,
-- core/analytics/rollup-deltas.ts; docs/metrics.md, "After upgrading") to what the code now
-- writes, so an upgrade needs no manual `npm run analytics:rebuild`. Rows written since are
-- already right: step 1 matches none of them, and a rebuild of a campaign whose rollups are
-- right leaves them as they are. On a new database this changes nothing and queues nothing.
--
-- 1. An event proving the provider took a message (delivered, bounce, dropped, any open, a human
--    click, a spam report) now dates a message no answer dated (UNCERTAIN, or a webhook faster
--    than the answer) as sent at the earliest such event; and a spam report now settles an
--    UNCERTAIN message as DELIVERED, as an open does. Before, such messages kept sent_at NULL,
--    so `sent` missed them while `delivered` = sent − bounced − dropped subtracted them.
-- 2. `dropped` is now a message state (once per message, never with a bounce), not a count of
--    dropped events.
-- 3. The rollups of every campaign that 1 repaired or that has a dropped event are rebuilt from
--    the raw rows by the workers: one `analytics.rebuild` job per campaign (idempotent,
--    core/analytics/rebuild-job.ts; dedupe key campaign:<id>, none queued beside a live one, as
--    enqueueJob does), run by any worker process.
--
-- One transaction: the repair and the jobs that recount it land together or not at all.
-- The repair reads messages without sent_at in a settled state through message_events
-- (indexed by message and type); the dropped campaigns come from the (campaign, type) index.

START TRANSACTION;

CREATE TEMPORARY TABLE `_upgrade_settled` (
    `message_id` BIGINT NOT NULL,
    `workspace_id` INTEGER NOT NULL,
    `campaign_id` INTEGER NOT NULL,
    `took_at` DATETIME(3) NOT NULL,
    PRIMARY KEY (`message_id`)
);

INSERT INTO `_upgrade_settled` (`message_id`, `workspace_id`, `campaign_id`, `took_at`)
SELECT m.`id`, m.`workspace_id`, m.`campaign_id`, MIN(e.`occurred_at`)
  FROM `messages` m
  JOIN `message_events` e ON e.`message_id` = m.`id`
 WHERE m.`sent_at` IS NULL
   AND m.`status` IN ('UNCERTAIN', 'DELIVERED', 'BOUNCED', 'DROPPED')
   AND (e.`type` IN ('delivered', 'bounce', 'dropped', 'open', 'spamreport') OR (e.`type` = 'click' AND e.`machine` = false))
 GROUP BY m.`id`, m.`workspace_id`, m.`campaign_id`;

-- Still UNCERTAIN with a proving event: only a spam report left it so (every other proving
-- event already moved it on).
UPDATE `messages` m
  JOIN `_upgrade_settled` s ON s.`message_id` = m.`id`
   SET m.`sent_at` = s.`took_at`,
       m.`status` = IF(m.`status` = 'UNCERTAIN', 'DELIVERED', m.`status`),
       m.`updated_at` = NOW(3);

INSERT INTO `jobs` (`workspace_id`, `kind`, `payload`, `dedupe_key`)
SELECT c.`workspace_id`, 'analytics.rebuild', JSON_OBJECT('campaignId', c.`campaign_id`), CONCAT('campaign:', c.`campaign_id`)
  FROM (
        SELECT `workspace_id`, `campaign_id` FROM `_upgrade_settled`
        UNION
        SELECT DISTINCT `workspace_id`, `campaign_id` FROM `message_events` WHERE `type` = 'dropped'
       ) c
 WHERE NOT EXISTS (
        SELECT 1 FROM `jobs` j
         WHERE j.`kind` = 'analytics.rebuild' AND j.`dedupe_key` = CONCAT('campaign:', c.`campaign_id`) AND j.`status` IN ('QUEUED', 'RUNNING')
       )
 ORDER BY c.`campaign_id`;

DROP TEMPORARY TABLE `_upgrade_settled`;

COMMIT;
