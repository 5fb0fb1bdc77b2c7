-- The most viewed pages of the window: page_view events by URL path (a search's query string is dropped,
-- so all searches count as /search), with how many users and sessions saw each.
SELECT
    path(ifNull(url, '')) AS page_path,
    count() AS views,
    uniqExact(user_id) AS users,
    uniqExact(session_id) AS sessions
FROM ${TABLE}
WHERE user_ts >= ${UNTIL} - ${SINCE_SECONDS} AND user_ts < ${UNTIL}
  AND event_type = 'page_view'
GROUP BY page_path
ORDER BY views DESC, page_path
LIMIT ${LIMIT}
