-- The device split of the window: events and users per device type, and each one's share of the events (%).
SELECT
    if(ifNull(device, '') = '', '(unknown)', device) AS device_type,
    count() AS events,
    uniqExact(user_id) AS users,
    round(100 * count() / (SELECT count() FROM ${TABLE}
                            WHERE user_ts >= ${UNTIL} - ${SINCE_SECONDS} AND user_ts < ${UNTIL}), 1) AS share
FROM ${TABLE}
WHERE user_ts >= ${UNTIL} - ${SINCE_SECONDS} AND user_ts < ${UNTIL}
GROUP BY device_type
ORDER BY events DESC, device_type
