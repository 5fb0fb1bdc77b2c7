variable "project" {
  description = "Aiven project that owns both services (it must exist: `avn project list`)."
  type        = string
}

variable "my_ip" {
  description = "Public IPv4 address (or CIDR block) allowed to reach Kafka and ClickHouse."
  type        = string
  sensitive   = true
}

variable "my_ipv6" {
  description = "Public IPv6 address (or CIDR block) allowed to reach Kafka and ClickHouse; empty for none."
  type        = string
  default     = ""
  sensitive   = true
}

variable "cloud_name" {
  description = "Cloud and region of both services, e.g. aws-eu-central-1 or google-europe-west1."
  type        = string
  default     = "aws-eu-central-1"
}

variable "name_prefix" {
  description = "Prefix of both service names (service names are unique within the project)."
  type        = string
  default     = "clickstream"
}

variable "kafka_plan" {
  description = "Kafka plan. Service integrations need a startup plan or larger."
  type        = string
  default     = "startup-2"
}

variable "kafka_version" {
  description = "Kafka major version, e.g. \"3.9\"; null takes Aiven's default. Clients on librdkafka older than 2.6.1 (Debian's kcat, ClickHouse 18.16) cannot log in with SCRAM to Kafka 4."
  type        = string
  default     = null
}

variable "clickhouse_plan" {
  description = "ClickHouse plan. Service integrations need a startup plan or larger."
  type        = string
  default     = "startup-16"
}

variable "topic" {
  description = "Events topic."
  type        = string
  default     = "clickhouse-events"
}

variable "topic_partitions" {
  description = "Partitions of the events topic."
  type        = number
  default     = 3
}

variable "topic_replication" {
  description = "Replicas of each partition of the events topic."
  type        = number
  default     = 3
}

variable "kafka_user" {
  description = "Kafka user (SASL SCRAM-SHA-512) for the producer, the consumer and the delivery service."
  type        = string
  default     = "clickstream"
}

variable "queue_table" {
  description = "Kafka-engine table the clickhouse_kafka integration creates in database service_<kafka service>."
  type        = string
  default     = "clickhouse_events_queue"
}

variable "consumer_group" {
  description = "Consumer group of ClickHouse's Kafka engine."
  type        = string
  default     = "clickhouse"
}
