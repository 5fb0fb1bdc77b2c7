terraform {
  # Any 1.x from 1.5 on (and OpenTofu 1.6+): nothing here needs a newer language feature.
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    aiven = {
      source = "aiven/aiven"
      # 4.23.0 is the first release with kafka_user_config.kafka_sasl_mechanisms (the integration's
      # tables.date_time_input_format and tables.auto_offset_reset came in 4.7.0); older 4.x reject them.
      # TerraformModulesTest holds the table "attribute: first version".
      version = "~> 4.23"
    }
  }

  # Local state. `clickstream up --cloud` moves it into its state folder with
  # `terraform init -backend-config=path=...`; run by hand it stays in this folder.
  backend "local" {}
}

# The API token comes from the AIVEN_TOKEN environment variable, so it never sits on a command line
# or in a variables file.
provider "aiven" {}
