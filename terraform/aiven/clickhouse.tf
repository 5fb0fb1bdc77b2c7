resource "aiven_clickhouse" "clickhouse" {
  project      = data.aiven_project.project.project
  cloud_name   = var.cloud_name
  plan         = var.clickhouse_plan
  service_name = "${var.name_prefix}-clickhouse"

  clickhouse_user_config {
    ip_filter_string = local.allowed_networks
  }

  # The outputs take the HTTPS and the secure native endpoint from the service's components. `usage`
  # ("primary") is in the provider's documentation (docs/data-sources/service_component.md); the
  # component names "clickhouse_https" and "clickhouse" are not, so a service without them stops the
  # apply here, naming the components Aiven did report, instead of failing later on a null.
  lifecycle {
    postcondition {
      condition     = anytrue([for c in self.components : c.component == "clickhouse_https" && c.usage == "primary"])
      error_message = "Aiven reported no primary \"clickhouse_https\" component for ${self.service_name}; it reported: ${join(", ", [for c in self.components : "${c.component} (${c.usage})"])}. Fix the component filters in terraform/aiven/clickhouse.tf."
    }
    postcondition {
      condition     = anytrue([for c in self.components : c.component == "clickhouse" && c.usage == "primary"])
      error_message = "Aiven reported no primary \"clickhouse\" component for ${self.service_name}; it reported: ${join(", ", [for c in self.components : "${c.component} (${c.usage})"])}. Fix the component filters in terraform/aiven/clickhouse.tf."
    }
  }
}

locals {
  # The first match (the postconditions above make sure there is one).
  clickhouse_https = [
    for c in aiven_clickhouse.clickhouse.components : c
    if c.component == "clickhouse_https" && c.usage == "primary"
  ][0]
  clickhouse_native = [
    for c in aiven_clickhouse.clickhouse.components : c
    if c.component == "clickhouse" && c.usage == "primary"
  ][0]
}
