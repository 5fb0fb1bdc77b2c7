-- Who is on the site now: distinct users and sessions with an event in the last 5 minutes before ${UNTIL}.
-- ifNull: over no rows, 18.16's uniqExact of a Nullable column (the transfer's table) is NULL, where modern
-- servers (26.7 measured) and the Kafka engine's table say 0: a quiet site has 0 users on every server.
SELECT
    ifNull(uniqExact(user_id), 0) AS users,
    ifNull(uniqExact(session_id), 0) AS sessions,
    count() AS events
FROM ${TABLE}
WHERE user_ts >= ${UNTIL} - 300 AND user_ts < ${UNTIL}
