resource "doublecloud_network" "main" {
  project_id      = var.project_id
  name            = "${var.name_prefix}-network"
  region_id       = var.region_id
  cloud_type      = var.cloud_type
  ipv4_cidr_block = var.network_ipv4_cidr_block
}

locals {
  # A bare address becomes a one-host block; a CIDR block is taken as it is.
  my_ipv4_block = strcontains(var.my_ip, "/") ? var.my_ip : "${var.my_ip}/32"
  my_ipv6_block = strcontains(var.my_ipv6, "/") ? var.my_ipv6 : "${var.my_ipv6}/128"

  ipv4_access = [{ value = local.my_ipv4_block, description = "clickstream: the machine that ran terraform" }]
  # null, not [], without an IPv6 address: the provider reads an empty ipv6_cidr_blocks back as null
  # (v0.1.5-v0.1.26, internal/provider/models.go, AccessModel.parse), so [] would not match the state.
  ipv6_access = var.my_ipv6 == "" ? null : [{ value = local.my_ipv6_block, description = "clickstream: the machine that ran terraform (IPv6)" }]
}
