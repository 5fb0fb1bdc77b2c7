#!/usr/bin/env node
// Parses every .tf file under a folder with HashiCorp's own HCL parser (compiled to WASM in
// @cdktf/hcl2json), so syntax errors show up without a terraform binary or a provider download.
// Usage: node parse-all.js DIR  ->  stdout: {"<path relative to DIR>": <the file as JSON>, ...}
// Exit 1 with one "path: error" line per broken file on stderr.
"use strict";

const fs = require("fs");
const path = require("path");
const { parse } = require("@cdktf/hcl2json");

const SKIPPED = new Set(["node_modules", ".terraform", "test"]);

function tfFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return SKIPPED.has(entry.name) ? [] : tfFiles(full);
    }
    return entry.name.endsWith(".tf") ? [full] : [];
  });
}

async function main() {
  const root = process.argv[2];
  if (!root) {
    console.error("usage: node parse-all.js DIR");
    process.exit(2);
  }
  const parsed = {};
  const failures = [];
  for (const file of tfFiles(root).sort()) {
    const name = path.relative(root, file);
    try {
      parsed[name] = await parse(name, fs.readFileSync(file, "utf8"));
    } catch (e) {
      failures.push(`${name}: ${String(e.message || e).split("\n")[0]}`);
    }
  }
  if (failures.length > 0) {
    failures.forEach((f) => console.error(f));
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(parsed));
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
