-- Where visits come from: sessions by the site that sent them, '(direct)' when there is no referrer.
-- Referrers on the shop's own domain (navigation inside the shop) are not sources and are left out.
SELECT
    if(ifNull(referrer, '') = '', '(direct)', domain(referrer)) AS source,
    uniqExact(session_id) AS sessions,
    count() AS events
FROM ${TABLE}
WHERE user_ts >= ${UNTIL} - ${SINCE_SECONDS} AND user_ts < ${UNTIL}
  AND (ifNull(referrer, '') = '' OR domain(referrer) != domain(ifNull(url, '')))
GROUP BY source
ORDER BY sessions DESC, source
LIMIT ${LIMIT}
