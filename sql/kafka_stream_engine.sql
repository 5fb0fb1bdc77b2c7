-- Delivery through the ClickHouse Kafka table engine:
--   Kafka topic -> queue table (ENGINE = Kafka) -> materialized view -> storage table (MergeTree).
--
-- `clickstream sql apply` fills in the ${...} placeholders from the connection profile and its flags,
-- asks the server for its version, and keeps a block between `-- #if NAME` and `-- #end` only when
-- NAME holds for that server:
--   modern   ClickHouse 21.6 or later: DateTime64, the virtual columns _topic/_partition/_offset/
--            _timestamp, and kafka_handle_error_mode = 'stream' with broken messages in an errors table
--   legacy   older servers such as Debian's 18.16: DateTime, kafka_row_delimiter; a broken message is
--            skipped by the server profile's input_format_allow_errors_* (which `clickstream up` sets)
--   own_queue     the queue table is created here; not when --queue-table names one that exists already
--                 (Aiven's clickhouse_kafka integration creates its own)
--   error_stream  own_queue on a modern server: broken messages go to the errors table
--   cluster       the profile names a cluster: a Distributed table reads every shard's rows
-- ${ON_CLUSTER} becomes `ON CLUSTER <name>` and ${MERGE_TREE} a ReplicatedMergeTree when the profile
-- names a cluster (a managed service), else nothing and a plain MergeTree.
-- Blocks may nest. Every statement is idempotent: apply it twice and nothing changes.

CREATE DATABASE IF NOT EXISTS ${DATABASE} ${ON_CLUSTER};

-- #if own_queue
-- The queue reads the topic. Reading it consumes, so only the materialized views read it.
CREATE TABLE IF NOT EXISTS ${DATABASE}.${QUEUE_TABLE} ${ON_CLUSTER}
(
    user_ts     String,
    id          UInt64,
    message     String,
    event_id    String,
    event_type  String,
    user_id     String,
    session_id  String,
    session_seq UInt32,
    page        String,
    url         String,
    referrer    String,
    device      String,
    browser     String,
    os          String,
    user_agent  String,
    country     String,
    product_id  Nullable(String),
    price       Nullable(Float64),
    duration_ms UInt64
)
ENGINE = Kafka
SETTINGS kafka_broker_list = '${BROKERS}'
       , kafka_topic_list = '${TOPIC}'
       , kafka_group_name = '${GROUP}'
       , kafka_format = 'JSONEachRow'
       , kafka_num_consumers = ${CONSUMERS}
       , kafka_max_block_size = ${MAX_BLOCK_SIZE}
-- #if legacy
       -- One JSON object per line; without it a bad message takes the good ones after it in the same
       -- batch down with it while their offsets are committed (silent loss on 18.16).
       , kafka_row_delimiter = '\n'
-- #end
-- #if error_stream
       , kafka_handle_error_mode = 'stream'
-- #end
;
-- #end

-- The events, typed. The demo's three fields first, then the clickstream fields.
CREATE TABLE IF NOT EXISTS ${DATABASE}.${STORAGE_TABLE} ${ON_CLUSTER}
(
    user_ts     ${DATETIME},
    id          UInt64,
    message     String,
    event_id    String,
    event_type  ${LOW_CARDINALITY_STRING},
    user_id     String,
    session_id  String,
    session_seq UInt32,
    page        String,
    url         String,
    referrer    String,
    device      ${LOW_CARDINALITY_STRING},
    browser     ${LOW_CARDINALITY_STRING},
    os          ${LOW_CARDINALITY_STRING},
    user_agent  String,
    country     ${LOW_CARDINALITY_STRING},
    product_id  Nullable(String),
    price       Nullable(Float64),
    duration_ms UInt64
-- #if modern
    -- where each row came from: which message of which partition
  , _topic      LowCardinality(String)
  , _partition  UInt64
  , _offset     UInt64
  , _timestamp  Nullable(DateTime)
-- #end
)
ENGINE = ${MERGE_TREE}
PARTITION BY toYYYYMMDD(user_ts)
ORDER BY (user_ts, id);

-- #if cluster
-- Reads the whole cluster: every server consumes its share of the partitions into its shard's table.
CREATE TABLE IF NOT EXISTS ${DATABASE}.${DISTRIBUTED_TABLE} ${ON_CLUSTER}
AS ${DATABASE}.${STORAGE_TABLE}
ENGINE = Distributed('${CLUSTER}', '${DATABASE}', '${STORAGE_TABLE}', rand());
-- #end

-- Moves every well-formed event from the queue to the storage table.
CREATE MATERIALIZED VIEW IF NOT EXISTS ${DATABASE}.${VIEW} ${ON_CLUSTER}
TO ${DATABASE}.${STORAGE_TABLE}
AS SELECT
    ${PARSE_USER_TS} AS user_ts,
    id, message, event_id, event_type, user_id, session_id, session_seq, page, url, referrer,
    device, browser, os, user_agent, country, product_id, price, duration_ms
-- #if modern
  , _topic, _partition, _offset, _timestamp
-- #end
FROM ${QUEUE} AS queue
-- #if error_stream
-- queue.user_ts: on modern servers the alias user_ts above (a DateTime64) would shadow the queue's String here.
WHERE length(_error) = 0 AND ${PARSE_QUEUE_USER_TS_OR_NULL} IS NOT NULL
-- #end
;

-- #if error_stream
-- Messages the engine could not parse (or whose user_ts is not a time), raw, with the reason.
CREATE TABLE IF NOT EXISTS ${DATABASE}.${ERRORS_TABLE} ${ON_CLUSTER}
(
    received_at DateTime DEFAULT now(),
    topic       LowCardinality(String),
    partition   UInt64,
    offset      UInt64,
    raw_message String,
    error       String
)
ENGINE = ${MERGE_TREE}
ORDER BY (topic, partition, offset);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${DATABASE}.${ERRORS_VIEW} ${ON_CLUSTER}
TO ${DATABASE}.${ERRORS_TABLE}
AS SELECT
    _topic AS topic,
    _partition AS partition,
    _offset AS offset,
    if(length(_error) > 0, _raw_message, user_ts) AS raw_message,
    if(length(_error) > 0, _error, 'user_ts is not a date and time') AS error
FROM ${QUEUE}
WHERE length(_error) > 0 OR ${PARSE_USER_TS_OR_NULL} IS NULL;
-- #end
