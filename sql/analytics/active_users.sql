-- Who is on the site now: distinct users and sessions with an event in the last 5 minutes before ${UNTIL}.
SELECT
    uniqExact(user_id) AS users,
    uniqExact(session_id) AS sessions,
    count() AS events
FROM ${TABLE}
WHERE user_ts >= ${UNTIL} - 300 AND user_ts < ${UNTIL}
