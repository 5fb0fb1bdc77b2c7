resource "doublecloud_kafka_cluster" "kafka" {
  project_id = var.project_id
  name       = "${var.name_prefix}-kafka"
  region_id  = var.region_id
  cloud_type = var.cloud_type
  network_id = doublecloud_network.main.id

  resources {
    kafka {
      resource_preset_id = var.kafka_resource_preset_id
      disk_size          = var.kafka_disk_size
      broker_count       = var.kafka_broker_count
      zone_count         = var.kafka_zone_count
    }
  }

  schema_registry {
    enabled = false
  }

  access {
    # The managed Transfer reaches the cluster from DoubleCloud's side, not through the address lists.
    # null, not [], without the transfer: the provider reads an empty list back as null (v0.1.5-v0.1.26,
    # internal/provider/models.go, AccessModel.parse), so [] in the plan would not match the state.
    data_services    = var.enable_transfer ? ["transfer"] : null
    ipv4_cidr_blocks = local.ipv4_access
    ipv6_cidr_blocks = local.ipv6_access
  }
}

# The cluster's public address and its admin credentials (SASL SCRAM-SHA-512 over TLS).
data "doublecloud_kafka" "kafka" {
  project_id = var.project_id
  id         = doublecloud_kafka_cluster.kafka.id
}
