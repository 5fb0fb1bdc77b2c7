terraform {
  # Any 1.x from 1.5 on (and OpenTofu 1.6+): nothing here needs a newer language feature.
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    doublecloud = {
      source  = "doublecloud/doublecloud"
      version = "~> 0.1"
    }
  }

  # Local state. `clickstream up --cloud` moves it into its state folder with
  # `terraform init -backend-config=path=...`; run by hand it stays in this folder.
  backend "local" {}
}

provider "doublecloud" {
  authorized_key = file(pathexpand(var.dc_key_path))
}
