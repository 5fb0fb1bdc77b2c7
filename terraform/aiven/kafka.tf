data "aiven_project" "project" {
  project = var.project
}

locals {
  # A bare address becomes a one-host block; a CIDR block is taken as it is.
  allowed_networks = compact([
    strcontains(var.my_ip, "/") ? var.my_ip : "${var.my_ip}/32",
    var.my_ipv6 == "" ? "" : (strcontains(var.my_ipv6, "/") ? var.my_ipv6 : "${var.my_ipv6}/128"),
  ])
}

resource "aiven_kafka" "kafka" {
  project      = data.aiven_project.project.project
  cloud_name   = var.cloud_name
  plan         = var.kafka_plan
  service_name = "${var.name_prefix}-kafka"

  kafka_user_config {
    kafka_version    = var.kafka_version
    ip_filter_string = local.allowed_networks

    # SASL beside Aiven's default client certificates, as the demo's cloud: SCRAM-SHA-512 over TLS.
    kafka_authentication_methods {
      certificate = true
      sasl        = true
    }
    kafka_sasl_mechanisms {
      scram_sha_512 = true
      scram_sha_256 = false
      plain         = false
    }

    kafka {
      auto_create_topics_enable = false
    }
  }

  # The outputs take the SASL listener from the service's components: `kafka_authentication_method`
  # ("sasl") and `usage` ("primary") are in the provider's documentation
  # (docs/data-sources/service_component.md). A service without it stops the apply here, naming the
  # components Aiven did report, instead of failing later on a null.
  lifecycle {
    postcondition {
      condition     = anytrue([for c in self.components : c.component == "kafka" && c.kafka_authentication_method == "sasl" && c.usage == "primary"])
      error_message = "Aiven reported no primary \"kafka\" component with SASL for ${self.service_name}; it reported: ${join(", ", [for c in self.components : "${c.component} (${c.usage}, ${coalesce(c.kafka_authentication_method, "-")})"])}. Fix the component filter in terraform/aiven/kafka.tf."
    }
  }
}

resource "aiven_kafka_topic" "events" {
  project      = aiven_kafka.kafka.project
  service_name = aiven_kafka.kafka.service_name
  topic_name   = var.topic
  partitions   = var.topic_partitions
  replication  = var.topic_replication
}

resource "aiven_kafka_user" "tools" {
  project      = aiven_kafka.kafka.project
  service_name = aiven_kafka.kafka.service_name
  username     = var.kafka_user
}

resource "aiven_kafka_acl" "tools" {
  project      = aiven_kafka.kafka.project
  service_name = aiven_kafka.kafka.service_name
  username     = aiven_kafka_user.tools.username
  topic        = var.topic
  permission   = "admin"
}

locals {
  # The SASL listener has its own port, beside the client-certificate one in service_port.
  # The first match (the postcondition above makes sure there is one).
  kafka_sasl = [
    for c in aiven_kafka.kafka.components : c
    if c.component == "kafka" && c.kafka_authentication_method == "sasl" && c.usage == "primary"
  ][0]
}
