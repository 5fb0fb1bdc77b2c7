# Outputs with passwords are sensitive: `terraform output -json NAME` shows them.

output "kafka_connection" {
  description = "Kafka in the demo's shape: the SASL bootstrap address and the tools' user (SCRAM-SHA-512 over TLS, project CA)."
  sensitive   = true
  value = {
    connection_string = "${local.kafka_sasl.host}:${local.kafka_sasl.port}"
    user              = aiven_kafka_user.tools.username
    password          = aiven_kafka_user.tools.password
  }
}

output "clickhouse_connection" {
  description = "ClickHouse in the demo's shape: host, HTTPS and secure native ports, admin credentials."
  sensitive   = true
  value = {
    host            = local.clickhouse_https.host
    https_port      = local.clickhouse_https.port
    tcp_port_secure = local.clickhouse_native.port
    user            = aiven_clickhouse.clickhouse.service_username
    password        = aiven_clickhouse.clickhouse.service_password
  }
}

output "clickstream_profile" {
  description = "The connection profile our tools read. ca_cert is the project CA in PEM: `clickstream up --cloud aiven` writes it, with the JVM's trusted CAs, to a bundle file and sets ca_file."
  sensitive   = true
  value = {
    target = "aiven"
    kafka_connection = {
      connection_string = "${local.kafka_sasl.host}:${local.kafka_sasl.port}"
      user              = aiven_kafka_user.tools.username
      password          = aiven_kafka_user.tools.password
      security_protocol = "SASL_SSL"
      sasl_mechanism    = "SCRAM-SHA-512"
      ca_cert           = data.aiven_project.project.ca_cert
    }
    clickhouse_connection = {
      host            = local.clickhouse_https.host
      https_port      = local.clickhouse_https.port
      tcp_port_secure = local.clickhouse_native.port
      user            = aiven_clickhouse.clickhouse.service_username
      password        = aiven_clickhouse.clickhouse.service_password
      database        = "default"
      ca_cert         = data.aiven_project.project.ca_cert
    }
    topic = aiven_kafka_topic.events.topic_name
  }
}

output "project_ca_cert" {
  description = "The project CA (PEM) that signs the services' TLS certificates (Kafka's always): clients verify TLS against it."
  sensitive   = true
  value       = data.aiven_project.project.ca_cert
}

output "kafka_engine_table" {
  description = "The queue table of the clickhouse_kafka integration, as database.table."
  value       = "${local.kafka_engine_database}.${var.queue_table}"
}
