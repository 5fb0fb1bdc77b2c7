resource "aiven_clickhouse" "clickhouse" {
  project      = data.aiven_project.project.project
  cloud_name   = var.cloud_name
  plan         = var.clickhouse_plan
  service_name = "${var.name_prefix}-clickhouse"

  clickhouse_user_config {
    ip_filter_string = local.allowed_networks
  }
}

locals {
  clickhouse_https = one([
    for c in aiven_clickhouse.clickhouse.components : c
    if c.component == "clickhouse_https" && c.usage == "primary"
  ])
  clickhouse_native = one([
    for c in aiven_clickhouse.clickhouse.components : c
    if c.component == "clickhouse" && c.usage == "primary"
  ])
}
