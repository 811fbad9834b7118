"""Batch files: many profiles as flat rows in CSV, JSONL or Parquet, read and written in chunks."""
