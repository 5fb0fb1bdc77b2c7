resource "doublecloud_clickhouse_cluster" "clickhouse" {
  project_id = var.project_id
  name       = "${var.name_prefix}-clickhouse"
  region_id  = var.region_id
  cloud_type = var.cloud_type
  network_id = doublecloud_network.main.id

  resources {
    clickhouse {
      resource_preset_id = var.clickhouse_resource_preset_id
      disk_size          = var.clickhouse_disk_size
      replica_count      = var.clickhouse_replica_count
    }
  }

  config {
    max_connections = 120

    # What ClickHouse's Kafka table engine logs in with (sql/: the queue table).
    kafka {
      security_protocol = "SASL_SSL"
      sasl_mechanism    = "SCRAM_SHA_512"
      sasl_username     = data.doublecloud_kafka.kafka.connection_info.user
      sasl_password     = data.doublecloud_kafka.kafka.connection_info.password
    }
  }

  access {
    # null, not [], without the transfer: the provider reads an empty list back as null (v0.1.5-v0.1.26,
    # internal/provider/models.go, AccessModel.parse), so [] in the plan would not match the state.
    data_services    = var.enable_transfer ? ["transfer"] : null
    ipv4_cidr_blocks = local.ipv4_access
    ipv6_cidr_blocks = local.ipv6_access
  }
}

data "doublecloud_clickhouse" "clickhouse" {
  project_id = var.project_id
  id         = doublecloud_clickhouse_cluster.clickhouse.id
}
