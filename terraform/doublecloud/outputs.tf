# Every output holds passwords, so every one is sensitive: `terraform output -json NAME` shows it.

output "kafka_connection" {
  description = "Kafka as the demo printed it: bootstrap address and the admin credentials (SASL SCRAM-SHA-512 over TLS)."
  sensitive   = true
  value = {
    connection_string = data.doublecloud_kafka.kafka.connection_info.connection_string
    user              = data.doublecloud_kafka.kafka.connection_info.user
    password          = data.doublecloud_kafka.kafka.connection_info.password
  }
}

output "clickhouse_connection" {
  description = "ClickHouse as the demo printed it: host, HTTPS and secure native ports, admin credentials."
  sensitive   = true
  value = {
    host            = data.doublecloud_clickhouse.clickhouse.connection_info.host
    https_port      = data.doublecloud_clickhouse.clickhouse.connection_info.https_port
    tcp_port_secure = data.doublecloud_clickhouse.clickhouse.connection_info.tcp_port_secure
    user            = data.doublecloud_clickhouse.clickhouse.connection_info.user
    password        = data.doublecloud_clickhouse.clickhouse.connection_info.password
  }
}

output "clickstream_profile" {
  description = "The connection profile our tools read (`clickstream up --cloud doublecloud` writes it to profile.json). Both services use publicly trusted certificates: no CA file."
  sensitive   = true
  value = {
    target = "doublecloud"
    kafka_connection = {
      connection_string = data.doublecloud_kafka.kafka.connection_info.connection_string
      user              = data.doublecloud_kafka.kafka.connection_info.user
      password          = data.doublecloud_kafka.kafka.connection_info.password
      security_protocol = "SASL_SSL"
      sasl_mechanism    = "SCRAM-SHA-512"
    }
    clickhouse_connection = {
      host            = data.doublecloud_clickhouse.clickhouse.connection_info.host
      https_port      = data.doublecloud_clickhouse.clickhouse.connection_info.https_port
      tcp_port_secure = data.doublecloud_clickhouse.clickhouse.connection_info.tcp_port_secure
      user            = data.doublecloud_clickhouse.clickhouse.connection_info.user
      password        = data.doublecloud_clickhouse.clickhouse.connection_info.password
      database        = "default"
    }
    topic = var.topic
  }
}

output "transfer_id" {
  description = "The managed transfer, when enable_transfer is true; null otherwise."
  value       = var.enable_transfer ? doublecloud_transfer.kafka_to_clickhouse[0].id : null
}
