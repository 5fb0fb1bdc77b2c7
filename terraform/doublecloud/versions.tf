terraform {
  # Any 1.x from 1.5 on (and OpenTofu 1.6+): nothing here needs a newer language feature.
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    doublecloud = {
      source = "doublecloud/doublecloud"
      # 0.1.5 is the first release with the clusters' `access` block (data_services, ipv4_cidr_blocks,
      # ipv6_cidr_blocks) and the parser field's `path` and `required`; 0.1.0-0.1.4 reject them.
      # TerraformModulesTest holds the table "attribute: first version".
      version = "~> 0.1.5"
    }
  }

  # Local state. `clickstream up --cloud` moves it into its state folder with
  # `terraform init -backend-config=path=...`; run by hand it stays in this folder.
  backend "local" {}
}

provider "doublecloud" {
  authorized_key = file(pathexpand(var.dc_key_path))
}
