# Aiven's managed Kafka-engine delivery: the integration creates, in ClickHouse database
# service_<kafka service name>, the demo's queue table reading the events topic as JSONEachRow.
# sql/ adds the storage table and the materialized view on top of it.

locals {
  # One column per field of the event (common/.../event/ClickEvent.java), in its order.
  queue_columns = [
    { name = "user_ts", type = "DateTime64(6, 'UTC')" },
    { name = "id", type = "UInt64" },
    { name = "message", type = "String" },
    { name = "event_id", type = "String" },
    { name = "event_type", type = "String" },
    { name = "user_id", type = "String" },
    { name = "session_id", type = "String" },
    { name = "session_seq", type = "UInt32" },
    { name = "page", type = "String" },
    { name = "url", type = "String" },
    { name = "referrer", type = "String" },
    { name = "device", type = "String" },
    { name = "browser", type = "String" },
    { name = "os", type = "String" },
    { name = "user_agent", type = "String" },
    { name = "country", type = "String" },
    { name = "product_id", type = "Nullable(String)" },
    { name = "price", type = "Nullable(Float64)" },
    { name = "duration_ms", type = "UInt64" },
  ]
  kafka_engine_database = "service_${aiven_kafka.kafka.service_name}"
}

resource "aiven_service_integration" "clickhouse_kafka" {
  project                  = data.aiven_project.project.project
  integration_type         = "clickhouse_kafka"
  source_service_name      = aiven_kafka.kafka.service_name
  destination_service_name = aiven_clickhouse.clickhouse.service_name

  clickhouse_kafka_user_config {
    tables {
      name                   = var.queue_table
      group_name             = var.consumer_group
      data_format            = "JSONEachRow"
      date_time_input_format = "best_effort"
      auto_offset_reset      = "earliest"

      topics {
        name = aiven_kafka_topic.events.topic_name
      }

      dynamic "columns" {
        for_each = local.queue_columns
        content {
          name = columns.value.name
          type = columns.value.type
        }
      }
    }
  }
}
