-- Delivery freshness: the newest event before ${UNTIL} and how many seconds old it is (null on an empty
-- table). With events produced live this is the end-to-end delay of the pipeline.
SELECT
    if(count() = 0, NULL, toDateTime(max(user_ts), 'UTC')) AS newest,
    if(count() = 0, NULL, dateDiff('second', toDateTime(max(user_ts), 'UTC'), ${UNTIL})) AS freshness_seconds,
    count() AS total_events
FROM ${TABLE}
WHERE user_ts < ${UNTIL}
