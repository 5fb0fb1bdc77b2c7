variable "project_id" {
  description = "DoubleCloud project that owns the network and both clusters."
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

variable "region_id" {
  description = "Region of the network and the clusters."
  type        = string
  default     = "eu-central-1"
}

variable "cloud_type" {
  description = "Cloud under DoubleCloud's services: aws or gcp."
  type        = string
  default     = "aws"
}

variable "dc_key_path" {
  description = "DoubleCloud service account key (JSON) the provider authenticates with."
  type        = string
  default     = "~/.config/auth_key.json"
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "clickstream"
}

variable "topic" {
  description = "Events topic: the transfer reads it and the tools write to it."
  type        = string
  default     = "clickhouse-events"
}

variable "enable_transfer" {
  description = "Also create the managed Transfer (Kafka source endpoint, ClickHouse target endpoint, INCREMENT_ONLY transfer)."
  type        = bool
  default     = false
}

variable "network_ipv4_cidr_block" {
  description = "Address range of the network the clusters live in."
  type        = string
  default     = "10.0.0.0/16"
}

variable "kafka_resource_preset_id" {
  description = "Kafka broker size."
  type        = string
  default     = "s2-c2-m4"
}

variable "kafka_disk_size" {
  description = "Kafka disk per broker, in bytes."
  type        = number
  default     = 34359738368 # 32 GiB
}

variable "kafka_broker_count" {
  description = "Kafka brokers per zone."
  type        = number
  default     = 1
}

variable "kafka_zone_count" {
  description = "Availability zones the Kafka brokers are spread over."
  type        = number
  default     = 1
}

variable "clickhouse_resource_preset_id" {
  description = "ClickHouse host size."
  type        = string
  default     = "s2-c2-m4"
}

variable "clickhouse_disk_size" {
  description = "ClickHouse disk per host, in bytes."
  type        = number
  default     = 34359738368 # 32 GiB
}

variable "clickhouse_replica_count" {
  description = "ClickHouse hosts per shard."
  type        = number
  default     = 1
}
