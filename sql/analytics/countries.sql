-- The country split of the window: events and users per country code, and each one's share of the events (%).
SELECT
    if(ifNull(country, '') = '', '(unknown)', country) AS country_code,
    count() AS events,
    uniqExact(user_id) AS users,
    round(100 * count() / (SELECT count() FROM ${TABLE}
                            WHERE user_ts >= ${UNTIL} - ${SINCE_SECONDS} AND user_ts < ${UNTIL}), 1) AS share
FROM ${TABLE}
WHERE user_ts >= ${UNTIL} - ${SINCE_SECONDS} AND user_ts < ${UNTIL}
GROUP BY country_code
ORDER BY events DESC, country_code
LIMIT ${LIMIT}
