# The managed delivery Kafka -> ClickHouse (off by default: transfer/ is our own replacement for it).

locals {
  # The JSON parser's schema: the demo's three fields, then the clickstream fields of every event
  # (common/.../event/ClickEvent.java). Types are the transfer's vocabulary; unknown fields land in _rest.
  event_fields = [
    { name = "user_ts", type = "datetime", required = true },
    { name = "id", type = "uint64", required = true },
    { name = "message", type = "utf8", required = false },
    { name = "event_id", type = "utf8", required = false },
    { name = "event_type", type = "utf8", required = false },
    { name = "user_id", type = "utf8", required = false },
    { name = "session_id", type = "utf8", required = false },
    { name = "session_seq", type = "uint32", required = false },
    { name = "page", type = "utf8", required = false },
    { name = "url", type = "utf8", required = false },
    { name = "referrer", type = "utf8", required = false },
    { name = "device", type = "utf8", required = false },
    { name = "browser", type = "utf8", required = false },
    { name = "os", type = "utf8", required = false },
    { name = "user_agent", type = "utf8", required = false },
    { name = "country", type = "utf8", required = false },
    { name = "product_id", type = "utf8", required = false },
    { name = "price", type = "double", required = false },
    { name = "duration_ms", type = "uint64", required = false },
  ]
}

resource "doublecloud_transfer_endpoint" "kafka_source" {
  count      = var.enable_transfer ? 1 : 0
  name       = "${var.name_prefix}-kafka-source"
  project_id = var.project_id

  settings {
    kafka_source {
      connection {
        cluster_id = doublecloud_kafka_cluster.kafka.id
      }
      auth {
        sasl {
          user      = data.doublecloud_kafka.kafka.connection_info.user
          password  = data.doublecloud_kafka.kafka.connection_info.password
          mechanism = "KAFKA_MECHANISM_SHA512"
        }
      }
      topic_name = var.topic

      parser {
        json {
          schema {
            fields {
              dynamic "field" {
                for_each = local.event_fields
                content {
                  name     = field.value.name
                  type     = field.value.type
                  key      = false
                  required = field.value.required
                  # No `path`: the field's own name, what the demo's `path = ""` means. The provider reads an
                  # empty path back as null (v0.1.26, internal/provider/transfer_endpoint_kafka.go,
                  # transferParserSchemaFieldsField.parse), so a planned "" would not match the state after
                  # apply ("Provider produced inconsistent result after apply"). Left out, the API gets the
                  # same empty path (convert sends a null path as "").
                }
              }
            }
          }
          null_keys_allowed = false
          add_rest_column   = true
        }
      }
    }
  }
}

resource "doublecloud_transfer_endpoint" "clickhouse_target" {
  count      = var.enable_transfer ? 1 : 0
  name       = "${var.name_prefix}-clickhouse-target"
  project_id = var.project_id

  settings {
    clickhouse_target {
      clickhouse_cleanup_policy = "DISABLED"
      connection {
        address {
          cluster_id = doublecloud_clickhouse_cluster.clickhouse.id
        }
        database = "default"
        user     = data.doublecloud_clickhouse.clickhouse.connection_info.user
        password = data.doublecloud_clickhouse.clickhouse.connection_info.password
      }
    }
  }
}

resource "doublecloud_transfer" "kafka_to_clickhouse" {
  count      = var.enable_transfer ? 1 : 0
  name       = "${var.name_prefix}-kafka-to-clickhouse"
  project_id = var.project_id
  source     = doublecloud_transfer_endpoint.kafka_source[0].id
  target     = doublecloud_transfer_endpoint.clickhouse_target[0].id
  type       = "INCREMENT_ONLY"
  activated  = true
}
