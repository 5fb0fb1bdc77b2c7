-- The conversion funnel per session: how many sessions of the window viewed a page, then added to the cart,
-- then purchased, in that order (windowFunnel; timestamps in whole seconds, as 18.16 stores them).
-- of_first and of_previous are percentages of the first and of the previous step.
SELECT
    step.1 AS step_name,
    step.2 AS sessions,
    round(100 * step.2 / greatest(viewed, 1), 1) AS of_first,
    round(100 * step.2 / greatest(step.3, 1), 1) AS of_previous
FROM
(
    SELECT
        countIf(level >= 1) AS viewed,
        countIf(level >= 2) AS added,
        countIf(level >= 3) AS purchased
    FROM
    (
        SELECT
            session_id,
            windowFunnel(${SINCE_SECONDS})(toUInt32(toDateTime(user_ts)),
                event_type = 'page_view', event_type = 'add_to_cart', event_type = 'purchase') AS level
        FROM ${TABLE}
        WHERE user_ts >= ${UNTIL} - ${SINCE_SECONDS} AND user_ts < ${UNTIL}
          AND event_type IN ('page_view', 'add_to_cart', 'purchase')
          AND ifNull(session_id, '') != ''
        GROUP BY session_id
    )
)
ARRAY JOIN [('page_view', viewed, viewed), ('add_to_cart', added, viewed), ('purchase', purchased, added)] AS step
