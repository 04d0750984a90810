"""Finds the raw inputs, decodes declared dialects, checks byte limits and reads YAML safely."""
