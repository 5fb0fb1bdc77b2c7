-- Events per time bucket over the window: how busy the shop is. The bucket is a minute for windows up
-- to an hour and wider for longer ones (`clickstream analytics` picks it); empty buckets have no row.
-- Placeholders (filled in by `clickstream analytics` and the dashboard):
--   ${TABLE}          the events table, database.table
--   ${UNTIL}          end of the window (exclusive), a DateTime expression such as now()
--   ${SINCE_SECONDS}  length of the window
--   ${BUCKET_SECONDS} width of one bucket
-- Every query in this folder runs on ClickHouse 18.16 and on modern servers, on the Kafka-engine
-- storage table and on the transfer's table alike (where most columns are Nullable): toDateTime()
-- turns DateTime64(6) into DateTime, and no function newer than 18.16 is used.
SELECT
    toDateTime(intDiv(toUInt32(toDateTime(user_ts)), ${BUCKET_SECONDS}) * ${BUCKET_SECONDS}, 'UTC') AS bucket,
    count() AS events,
    uniqExact(user_id) AS users,
    uniqExact(session_id) AS sessions
FROM ${TABLE}
WHERE user_ts >= ${UNTIL} - ${SINCE_SECONDS} AND user_ts < ${UNTIL}
GROUP BY bucket
ORDER BY bucket
